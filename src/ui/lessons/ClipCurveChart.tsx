import { memo, useMemo } from 'react';
import type { LayerWeights } from '@/store/types';
import { LineFigure } from '../charts/LineFigure';
import { rangeCurve } from './fundamentals';

/**
 * Lesson 4's curve: clipping, rounding and total error of the layer's kernel on a b-bit
 * symmetric grid against the clipping threshold (as a fraction of max|w|; 1 is min-max).
 */
export const ClipCurveChart = memo(function ClipCurveChart({
  weights,
  bits,
}: {
  weights: LayerWeights;
  bits: number;
}) {
  const { rows, bestAt, top } = useMemo(() => {
    const { curve, best, peak } = rangeCurve(weights, bits);
    return {
      // Below 0.3·max|w| clipping error dwarfs the rest; the y axis stops at 2× min-max's error.
      rows: curve
        .filter((p) => p.threshold >= 0.3 * peak)
        .map((p) => ({
          threshold: Math.round((100 * p.threshold) / peak),
          clipping: p.clipping,
          rounding: p.rounding,
          total: p.total,
        })),
      bestAt: (best?.threshold ?? peak) / peak,
      top: 2 * (curve.at(-1)?.total ?? 1),
    };
  }, [weights, bits]);
  return (
    <div data-testid="clip-curve" data-best-at={bestAt}>
      <LineFigure
        testId="clip-curve-chart"
        caption={`${weights.node}: ${bits}-bit weight error vs clipping threshold (% of max|w|; least total at ${(100 * bestAt).toFixed(0)}%)`}
        rows={rows}
        x="threshold"
        lines={[
          { key: 'total' },
          { key: 'clipping', dashed: true },
          { key: 'rounding', dashed: true },
        ]}
        points={rows.length}
        format={(v) =>
          Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(1) : String(Number(v.toPrecision(3)))
        }
        height={200}
        yDomain={[0, top]}
      />
    </div>
  );
});
