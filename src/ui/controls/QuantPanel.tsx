import { useAppStore } from '@/store/hooks';
import { selectConfig, selectEngine } from '@/store/selectors';
import { costText } from '../costText';
import { download } from '../download';
import { dbText, percent, seconds } from '../format';
import { Hideable } from '../Hideable';
import { ChartsSection } from './ChartsSection';
import { ComparePanel } from './ComparePanel';
import { IntegerControls } from './IntegerControls';
import { LayerTable } from './LayerTable';
import { PtqControls } from './PtqControls';
import { PtqReportView } from './PtqReportView';
import { QuantizerControls } from './QuantizerControls';
import { SeedField } from './SeedField';
import { RunExport } from './RunExport';

const CALIBRATION_SIZES = [64, 128, 256, 512, 1024, 2048];

/** Quantizer settings, the run's progress, FP32 vs quantized accuracy and the layer table. */
export function QuantPanel() {
  const config = useAppStore(selectConfig);
  const engine = useAppStore(selectEngine);
  const quant = useAppStore((s) => s.quant);
  const quantize = useAppStore((s) => s.quantize);
  const setCalibration = useAppStore((s) => s.setCalibration);
  const encodingsJson = useAppStore((s) => s.encodingsJson);
  const r = quant.result;
  const running = quant.status === 'running';
  // QAT trains on these settings: editing them mid-run would leave its result unexplained.
  const qatActive = useAppStore((s) => s.qat.status === 'running' || s.qat.status === 'paused');
  return (
    <section className="quant" aria-label="Quantization">
      <h2>Quantization simulation</h2>
      {qatActive && (
        <p className="muted" data-testid="quant-locked">
          Locked while QAT trains on these settings; they unlock when it finishes or is cancelled.
        </p>
      )}
      <fieldset
        className="quant-controls"
        aria-label="Quantizer settings"
        data-testid="quant-controls"
        disabled={qatActive}
      >
        <Hideable group="weights">
          <QuantizerControls kind="weights" title="Weights" />
        </Hideable>
        <Hideable group="activations">
          <QuantizerControls kind="activations" title="Activations" />
        </Hideable>
        <Hideable group="int">
          <IntegerControls />
        </Hideable>
        <Hideable group="ptq">
          <PtqControls />
        </Hideable>
        <fieldset className="quantizer">
          <legend>Run</legend>
          <Hideable group="seed">
            <SeedField />
          </Hideable>
          <Hideable group="calibration">
            <label>
              Calibration images{' '}
              <select
                aria-label="Calibration images"
                value={config.calibration}
                onChange={(e) => setCalibration(Number(e.target.value))}
              >
                {[...new Set([...CALIBRATION_SIZES, config.calibration])]
                  .sort((a, b) => a - b)
                  .map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
              </select>
            </label>
          </Hideable>
          <button
            type="button"
            disabled={engine.status !== 'ready'}
            onClick={() => void quantize()}
          >
            Quantize
          </button>
          <button
            type="button"
            disabled={engine.status !== 'ready'}
            onClick={() => void quantize({ sensitivity: true })}
          >
            Per-layer sensitivity
          </button>
          <button
            type="button"
            disabled={!r || r.stage !== 'done'}
            onClick={() =>
              void encodingsJson().then(
                (text) => text && download(`${config.model}-encodings.json`, text),
              )
            }
          >
            Download encodings (AIMET JSON)
          </button>
        </fieldset>
      </fieldset>
      {running && quant.progress && (
        <div className="quant-progress">
          <progress
            aria-label="Quantization progress"
            max={quant.progress.total}
            value={quant.progress.done}
          />
          <span className="muted">{quant.progress.phase}</span>
        </div>
      )}
      {r && (
        <div
          className="quant-summary"
          data-testid="quant-summary"
          data-stage={r.stage}
          data-link={r.link}
          data-eval-millis={r.millis.evaluation}
        >
          <p>
            FP32{' '}
            <strong data-testid="quant-fp32">
              {r.fp32Accuracy === null ? '…' : percent(r.fp32Accuracy)}
            </strong>{' '}
            → quantized{' '}
            <strong data-testid="quant-accuracy" data-value={r.quantAccuracy ?? ''}>
              {r.quantAccuracy === null ? '…' : percent(r.quantAccuracy)}
            </strong>{' '}
            on {r.count} test items; output SQNR{' '}
            <span data-testid="output-sqnr">{dbText(r.outputSqnrDb)}</span> dB.{' '}
            <span className="muted">
              weights {seconds(r.millis.weights)}, calibration {seconds(r.millis.calibration)},
              evaluation {seconds(r.millis.evaluation)}
              {r.millis.sensitivity > 0 && `, sensitivity ${seconds(r.millis.sensitivity)}`}
            </span>
          </p>
          {r.cost && (
            <p data-testid="quant-cost" data-bops={r.cost.bops} data-size-bits={r.cost.sizeBits}>
              Cost: {costText(r.cost)} (quant/bitCost.ts: BOPs = Σ MACs·b_w·b_a).
            </p>
          )}
          {r.integer && (
            <p data-testid="integer-summary">
              Integer path ({r.integer.accumulatorBits}-bit accumulator, {r.integer.overflow},{' '}
              {r.integer.requantization} requantization): accuracy{' '}
              <strong data-testid="integer-accuracy" data-value={r.integer.accuracy}>
                {percent(r.integer.accuracy)}
              </strong>{' '}
              vs fake-quant {r.quantAccuracy === null ? '…' : percent(r.quantAccuracy)}; output SQNR{' '}
              {dbText(r.integer.outputSqnrDb)} dB; codes equal to fake quant on the same inputs{' '}
              <span
                data-testid="integer-agreement"
                data-value={r.integer.codeAgreement.equalFraction}
                data-max-step={r.integer.codeAgreement.maxStepDifference}
              >
                {percent(r.integer.codeAgreement.equalFraction, 3)} (largest gap{' '}
                {r.integer.codeAgreement.maxStepDifference} steps)
              </span>
              .{' '}
              <span className="muted">
                {seconds(r.integer.millis)}; in float between requantizations:{' '}
                {r.integer.floatNodes.join(', ') || 'none'}
              </span>
            </p>
          )}
          {r.folded.batchNorms.length > 0 && (
            <p className="muted">
              Folded: {r.folded.batchNorms.map((f) => `${f.batchNorm} → ${f.into}`).join(', ')}
            </p>
          )}
          <Hideable group="compare">
            <ComparePanel result={r} />
          </Hideable>
          {r.warnings.map((w) => (
            <p key={w} className="warning">
              {w}
            </p>
          ))}
          <RunExport result={r} />
          {r.ptq && <PtqReportView report={r.ptq} />}
          <LayerTable layers={r.layers} />
          <ChartsSection result={r} />
        </div>
      )}
    </section>
  );
}
