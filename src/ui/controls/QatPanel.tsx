import { useAppStore } from '@/store/hooks';
import { selectEngine, selectQat } from '@/store/selectors';
import type { QatResult, QatRunStatus } from '@/store/types';
import { QatEpochCurves, QatRangeCurves, QatStepCurves } from '../charts/QatCurves';
import { download } from '../download';
import { percent, seconds } from '../format';
import { useThrottled } from '../useThrottled';
import { QatSettings } from './QatSettings';

const STATUS_TEXT: Record<QatRunStatus, string> = {
  idle: 'Not started.',
  running: 'Training…',
  paused: 'Paused.',
  done: 'Done.',
  cancelled: 'Cancelled.',
  failed: 'Failed (see the message above).',
};

/** How often the live charts redraw; the summary line follows every step. */
const CHART_INTERVAL_MS = 400;

const shown = (x: number) => (Number.isFinite(x) ? percent(x) : '…');

/** "FP32 a% → PTQ start b% → QAT c%": the paper's QAT claim, measured on this run. */
function QatSummary({ result: r, status }: { result: QatResult; status: QatRunStatus }) {
  const last = r.epochs.at(-1);
  const trained = last !== undefined && last.epoch > 0;
  const epochs = r.stepsPerEpoch > 0 ? Math.round(r.totalSteps / r.stepsPerEpoch) : 0;
  return (
    <div className="quant-summary">
      <p
        data-testid="qat-summary"
        data-status={status}
        data-phase={r.status}
        data-steps={r.steps.length}
        data-link={r.link}
      >
        FP32{' '}
        <strong data-testid="qat-fp32" data-value={r.fp32Accuracy}>
          {shown(r.fp32Accuracy)}
        </strong>{' '}
        → PTQ start{' '}
        <strong data-testid="qat-ptq-start" data-value={r.ptqAccuracy}>
          {shown(r.ptqAccuracy)}
        </strong>{' '}
        → QAT{' '}
        <strong
          data-testid="qat-test-accuracy"
          data-value={trained ? last.testAccuracy : ''}
          data-epoch={last?.epoch ?? 0}
        >
          {trained ? percent(last.testAccuracy) : '…'}
        </strong>{' '}
        {trained ? `after epoch ${last.epoch} of ${epochs}` : 'once the first epoch ends'} on{' '}
        {r.count} test items.{' '}
        <span className="muted">
          {r.trainCount} train images per epoch, step {r.steps.length} of {r.totalSteps}; setup{' '}
          {seconds(r.millis.setup)}, training {seconds(r.millis.training)}, testing{' '}
          {seconds(r.millis.evaluation)}
        </span>
      </p>
      {r.warnings.map((w) => (
        <p key={w} className="warning">
          {w}
        </p>
      ))}
    </div>
  );
}

/**
 * Quantization-aware training (paper section 4): settings, Train / Pause / Resume / Cancel, the
 * run's progress and live curves. It starts from the PTQ simulation of the settings above.
 */
export function QatPanel() {
  const engine = useAppStore(selectEngine);
  const qat = useAppStore(selectQat);
  const startQat = useAppStore((s) => s.startQat);
  const pauseQat = useAppStore((s) => s.pauseQat);
  const resumeQat = useAppStore((s) => s.resumeQat);
  const cancelQat = useAppStore((s) => s.cancelQat);
  const qatFiles = useAppStore((s) => s.qatFiles);
  const active = qat.status === 'running' || qat.status === 'paused';
  const r = qat.result;
  const drawn = useThrottled(r, CHART_INTERVAL_MS);
  return (
    <section className="quant" aria-label="Quantization-aware training">
      <h2>Quantization-aware training</h2>
      <p className="muted">
        Trains the quantized model above with the straight-through estimator (paper 4.1), starting
        from its PTQ encodings (4.3); each epoch is tested with the encodings fixed.
      </p>
      <div className="quant-controls">
        <QatSettings locked={active} />
        <fieldset className="quantizer">
          <legend>Training</legend>
          <div className="qat-buttons">
            {/* aria-disabled while a run is active (startQat ignores the click), not disabled:
                a focused button that becomes disabled loses focus, and React's focus restore
                then forces style and layout inside the click's task. */}
            <button
              type="button"
              disabled={engine.status !== 'ready'}
              aria-disabled={active || undefined}
              onClick={() => void startQat()}
            >
              Train
            </button>
            <button type="button" disabled={qat.status !== 'running'} onClick={pauseQat}>
              Pause
            </button>
            <button type="button" disabled={qat.status !== 'paused'} onClick={resumeQat}>
              Resume
            </button>
            <button type="button" disabled={!active} onClick={cancelQat}>
              Cancel
            </button>
            <button
              type="button"
              disabled={qat.status !== 'done'}
              title="model.json + weights.bin (TF.js Layers, trained float weights) and the learned encodings (AIMET JSON)"
              onClick={() =>
                void qatFiles().then((f) => {
                  if (!f) return;
                  // The manifest in model.json names weights.bin: keep that file name.
                  download(`${r?.modelId ?? 'model'}-qat-model.json`, f.modelJson);
                  download('weights.bin', f.weightsBin, 'application/octet-stream');
                  download(`${r?.modelId ?? 'model'}-qat-encodings.json`, f.encodingsJson);
                })
              }
            >
              Download trained model
            </button>
          </div>
          <span role="status" data-testid="qat-status" data-status={qat.status}>
            {STATUS_TEXT[qat.status]}
          </span>
        </fieldset>
      </div>
      {active && (
        <div className="quant-progress">
          {qat.progress ? (
            <progress
              aria-label="QAT progress"
              max={qat.progress.total || 1}
              value={qat.progress.done}
            />
          ) : (
            <progress aria-label="QAT progress" />
          )}
          <span className="muted">
            {qat.progress?.phase ?? 'Preparing the PTQ starting point…'}
          </span>
        </div>
      )}
      {r && <QatSummary result={r} status={qat.status} />}
      {r && drawn && (
        <div className="qat-charts">
          <QatStepCurves result={drawn} />
          <QatEpochCurves result={drawn} />
          <QatRangeCurves result={drawn} />
        </div>
      )}
    </section>
  );
}
