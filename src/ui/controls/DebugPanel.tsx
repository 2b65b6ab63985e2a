import { useAppStore } from '@/store/hooks';
import { selectEngine } from '@/store/selectors';
import { percent, seconds } from '../format';

/** The PTQ debugging flow (paper 3.7, Fig. 9) as a guided, measured report. */
export function DebugPanel() {
  const engine = useAppStore(selectEngine);
  const debug = useAppStore((s) => s.debug);
  const runDebug = useAppStore((s) => s.runDebug);
  const r = debug.report;
  return (
    <section className="debug" aria-label="Debugging flow">
      <h2>Debugging flow</h2>
      <button
        type="button"
        disabled={engine.status !== 'ready' || debug.status === 'running'}
        onClick={() => void runDebug()}
      >
        Debug this quantization
      </button>
      {debug.status === 'running' && debug.progress && (
        <span className="quant-progress">
          <progress
            aria-label="Debugging progress"
            max={debug.progress.total}
            value={debug.progress.done}
          />
          <span className="muted">{debug.progress.phase}</span>
        </span>
      )}
      {r && (
        <ol className="debug-steps" data-testid="debug-report" data-culprit={r.culprit}>
          <li data-testid="debug-sanity" data-passed={r.sanity.passed}>
            FP32 sanity check: model {percent(r.sanity.predictAccuracy)}, simulation with every
            quantizer bypassed {percent(r.sanity.bypassedAccuracy)} —{' '}
            {r.sanity.passed ? 'they match.' : 'they differ: fix this before anything else.'}
          </li>
          <li>
            Whole model quantized: {percent(r.quantizedAccuracy)}. Weights only{' '}
            <strong data-testid="debug-weights-only">{percent(r.weightsOnlyAccuracy)}</strong>,
            activations only{' '}
            <strong data-testid="debug-activations-only">
              {percent(r.activationsOnlyAccuracy)}
            </strong>
            :{' '}
            {r.culprit === 'none' ? 'neither side loses accuracy.' : `the ${r.culprit} lose more.`}
          </li>
          <li>
            Each quantizer alone (worst first):
            <ul data-testid="debug-quantizers">
              {r.quantizers.slice(0, 5).map((q) => (
                <li key={`${q.node}-${q.kind}`} data-node={q.node} data-kind={q.kind}>
                  {q.node} {q.kind} ({q.type}): {percent(q.accuracy)}
                </li>
              ))}
            </ul>
          </li>
          <li>
            What to try next:
            <ul data-testid="debug-suggestions">
              {r.suggestions.map((s) => (
                <li key={s.link}>
                  {s.text} <a href={`#${s.link}`}>apply</a>
                  {s.accuracy !== null
                    ? ` — measured ${percent(s.accuracy)}`
                    : ' — not measured (slow)'}
                </li>
              ))}
            </ul>
          </li>
          <li className="muted">
            {r.count} test items, {seconds(r.millis)}.
          </li>
        </ol>
      )}
    </section>
  );
}
