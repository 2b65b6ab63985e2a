import { useAppStore } from '@/store/hooks';
import type { SweepPoint } from '@/store/types';
import { percent } from '../format';
import { LineFigure } from '../charts/LineFigure';

/** One row per bit-width with a column per swept side (recharts draws one line per column). */
function sweepRows(points: readonly SweepPoint[]) {
  const rows = new Map<number, Record<string, number>>();
  for (const p of points)
    rows.set(p.bits, { ...rows.get(p.bits), bits: p.bits, [p.kind]: p.accuracy });
  return [...rows.values()].sort((a, b) => (a['bits'] ?? 0) - (b['bits'] ?? 0));
}

/**
 * Accuracy vs bit-width (the shape of paper Tables 1-2 on this model): weights swept 8..2 with
 * activations as configured, then activations 8..2 with weights as configured, each point a
 * whole run on a subset, drawn as it finishes.
 */
export function SweepPanel() {
  const sweep = useAppStore((s) => s.sweep);
  const ready = useAppStore((s) => s.engine.status === 'ready');
  const runSweep = useAppStore((s) => s.runSweep);
  const cancelSweep = useAppStore((s) => s.cancelSweep);
  const r = sweep.result;
  const running = sweep.status === 'running';
  return (
    <div className="sweep" data-testid="sweep" data-status={sweep.status}>
      <div className="sweep-controls">
        {running ? (
          <button type="button" onClick={cancelSweep}>
            Cancel sweep
          </button>
        ) : (
          <button type="button" disabled={!ready} onClick={() => void runSweep()}>
            Run bit-width sweep
          </button>
        )}
        {running && sweep.progress && (
          <progress
            aria-label="Sweep progress"
            max={sweep.progress.total}
            value={sweep.progress.done}
          />
        )}
        <span className="muted">
          {r
            ? `${r.points.length} of ${r.points.length + r.remaining} runs on ${r.count} test items` +
              (r.fp32Accuracy === null ? '' : `; FP32 ${percent(r.fp32Accuracy)}`)
            : 'Weights at 2..8 bits (activations as set), then activations at 2..8 bits (weights as set), on at most 500 test items.'}
        </span>
      </div>
      {r && r.points.length > 0 && (
        <div data-testid="sweep-chart-data" data-points={JSON.stringify(r.points)}>
          <LineFigure
            testId="sweep-chart"
            caption="Accuracy vs bit-width: weights swept (activations as set) and activations swept (weights as set)"
            rows={sweepRows(r.points)}
            x="bits"
            lines={[
              { key: 'weights', name: 'weight bits' },
              { key: 'activations', name: 'activation bits', dashed: true },
            ]}
            points={r.points.length}
            references={r.fp32Accuracy === null ? [] : [{ y: r.fp32Accuracy, label: 'FP32' }]}
            format={(v) => percent(v, 0)}
            yDomain={[0, 1]}
            height={200}
          />
        </div>
      )}
    </div>
  );
}
