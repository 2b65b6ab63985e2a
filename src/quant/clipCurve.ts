/**
 * The clipping-vs-rounding trade-off of range setting (paper Sec. 2.2 and 3.1) as a curve:
 * the error of a symmetric signed b-bit grid, s = t / (2^(b−1) − 0.5) (the app's symmetric
 * denominator, docs/quantization-conventions.md: 7.5 at 4 bits), as its clipping threshold t
 * moves. Small t clips many values (clipping error); large t widens the step
 * (rounding error ≈ s²/12 per value); min-max is t = max|x|, MSE range setting the minimum.
 */
import { roundHalfEven } from './rounding';

export interface ClipPoint {
  /** Clipping threshold t (the grid spans [−2^(b−1)·s, (2^(b−1) − 1)·s], s = t / (2^(b−1) − 0.5)). */
  readonly threshold: number;
  /** Mean squared error of the values outside the grid, over all n values. */
  readonly clipping: number;
  /** Mean squared error of the values inside the grid, over all n values. */
  readonly rounding: number;
  readonly total: number;
}

/**
 * Error split of x̂ = s·clamp(⌊x/s⌉, −2^(b−1), 2^(b−1) − 1) at each threshold.
 * @example clipCurve([0.75, 1.5, 4], 2, [2.25]) // s = 2.25 / 1.5 = 1.5, grid {−3, −1.5, 0, 1.5}
 *   -> [{ threshold: 2.25, clipping: 6.25/3 (4 → 1.5), rounding: 0.5625/3 (0.75 → 0, ties to even), total: 2.2708 }]
 */
export function clipCurve(
  values: ArrayLike<number>,
  bits: number,
  thresholds: readonly number[],
): ClipPoint[] {
  const qmax = 2 ** (bits - 1) - 1;
  const qmin = -(2 ** (bits - 1));
  const n = Math.max(1, values.length);
  return thresholds.map((t) => {
    const s = t / ((qmax - qmin) / 2);
    let clipping = 0;
    let rounding = 0;
    for (let i = 0; i < values.length; i++) {
      const x = values[i] as number;
      const q = Math.min(qmax, Math.max(qmin, roundHalfEven(x / s)));
      const d = x - s * q;
      if (x < s * qmin || x > s * qmax) clipping += d * d;
      else rounding += d * d;
    }
    return {
      threshold: t,
      clipping: clipping / n,
      rounding: rounding / n,
      total: (clipping + rounding) / n,
    };
  });
}

/** Thresholds k/steps · max|x| for k = 1..steps (the last one is min-max). */
export function clipThresholds(values: ArrayLike<number>, steps: number): number[] {
  let peak = 0;
  for (let i = 0; i < values.length; i++) peak = Math.max(peak, Math.abs(values[i] as number));
  return Array.from({ length: steps }, (_, k) => (peak * (k + 1)) / steps);
}

/** The point of least total error (the first on ties). */
export function bestClip(curve: readonly ClipPoint[]): ClipPoint | null {
  return curve.reduce<ClipPoint | null>((b, p) => (b === null || p.total < b.total ? p : b), null);
}
