import { comparable, delta } from '@/store/compare';
import { useAppStore } from '@/store/hooks';
import type { QuantResult } from '@/store/types';
import { dbText, percent } from '../format';
import { shareUrl } from './ShareButton';

const signed = (x: number, text: (v: number) => string) =>
  `${x > 0 ? '+' : x < 0 ? '−' : '±'}${text(Math.abs(x))}`;

/**
 * Compare mode: pin the current result as a baseline, then see baseline vs current accuracy
 * (and, in the table and charts, per layer). The baseline lives in the page only; its link
 * reopens the settings it came from.
 */
export function ComparePanel({ result: r }: { result: QuantResult }) {
  const baseline = useAppStore((s) => s.baseline);
  const pin = useAppStore((s) => s.pinBaseline);
  const clear = useAppStore((s) => s.clearBaseline);
  const d = baseline ? delta(r.quantAccuracy, baseline.quantAccuracy) : null;
  const sqnr = baseline ? delta(r.outputSqnrDb, baseline.outputSqnrDb) : null;
  return (
    <div className="compare" data-testid="compare">
      <button type="button" disabled={r.stage !== 'done'} onClick={pin}>
        Pin as baseline
      </button>
      {baseline && (
        <button type="button" onClick={clear}>
          Clear baseline
        </button>
      )}
      {baseline && (
        <p data-testid="baseline-summary" data-link={baseline.link}>
          Baseline{' '}
          <strong data-testid="baseline-accuracy" data-value={baseline.quantAccuracy ?? ''}>
            {baseline.quantAccuracy === null ? '…' : percent(baseline.quantAccuracy)}
          </strong>{' '}
          → current{' '}
          <strong data-testid="current-accuracy" data-value={r.quantAccuracy ?? ''}>
            {r.quantAccuracy === null ? '…' : percent(r.quantAccuracy)}
          </strong>{' '}
          (
          <span
            data-testid="accuracy-delta"
            data-value={d ?? ''}
            className={d !== null && d < 0 ? 'worse' : undefined}
          >
            {d === null ? '…' : signed(d, (v) => `${(v * 100).toFixed(2)} pp`)}
          </span>
          ; output SQNR {sqnr === null ? '…' : `${signed(sqnr, dbText)} dB`}
          ).{' '}
          <span className="muted">
            Baseline: {baseline.modelId} on {baseline.count} test items
            {!comparable(baseline, r) && ', another model, so the layer table compares nothing'}.
            Its settings:{' '}
            <a href={`#${baseline.link}`} data-testid="baseline-link">
              {shareUrl(baseline.link)}
            </a>
          </span>
        </p>
      )}
    </div>
  );
}
