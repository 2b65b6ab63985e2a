import { useAppStore } from '@/store/hooks';
import { selectActiveModel, selectConfig, selectEngine, selectRun } from '@/store/selectors';
import { percent, seconds } from '../format';

const LIMITS: (number | null)[] = [null, 16, 100, 500];

/**
 * Runs the FP32 evaluation of the selected model and compares it with the zoo index figure
 * (an uploaded model has no index figure to compare with).
 */
export function EvalPanel() {
  const model = useAppStore(selectActiveModel);
  const { evalLimit } = useAppStore(selectConfig);
  const engine = useAppStore(selectEngine);
  const run = useAppStore(selectRun);
  const evaluate = useAppStore((s) => s.evaluate);
  const cancel = useAppStore((s) => s.cancel);
  const setEvalLimit = useAppStore((s) => s.setEvalLimit);
  if (!model) return null;
  const running = run.status === 'running';
  const result = run.result;
  const full = result !== null && result.count === model.testCount;
  const matches = full && Math.abs(result.accuracy - model.fp32TestAccuracy) < 1e-9;
  return (
    <section className="eval" aria-label="Evaluation">
      <h2>{model.title}</h2>
      <div className="eval-controls">
        <label>
          Test items{' '}
          <select
            aria-label="Test items"
            value={evalLimit === null ? 'all' : String(evalLimit)}
            onChange={(e) => setEvalLimit(e.target.value === 'all' ? null : Number(e.target.value))}
          >
            {LIMITS.map((l) => (
              <option key={String(l)} value={l === null ? 'all' : String(l)}>
                {l === null ? `all ${model.testCount}` : `first ${l}`}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={running || engine.status !== 'ready'}
          onClick={() => void evaluate()}
        >
          Evaluate FP32
        </button>
        {running && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {run.progress && (
        <progress
          aria-label="Evaluation progress"
          max={run.progress.total}
          value={run.progress.done}
        >{`${run.progress.done} / ${run.progress.total}`}</progress>
      )}
      {run.status === 'cancelled' && <p className="muted">Cancelled.</p>}
      {result && (
        <p
          className="eval-result"
          data-testid="fp32-result"
          data-accuracy={result.accuracy}
          data-count={result.count}
          data-millis={result.millis}
        >
          FP32 accuracy <strong data-testid="fp32-accuracy">{percent(result.accuracy)}</strong> (
          {result.correct}/{result.count}) on {result.backend} in {seconds(result.millis)}.{' '}
          {full && !model.uploaded && (
            <span data-testid="index-check">
              {matches
                ? `Matches the zoo index (${percent(model.fp32TestAccuracy)}).`
                : `Differs from the zoo index (${percent(model.fp32TestAccuracy)}).`}
            </span>
          )}
        </p>
      )}
    </section>
  );
}
