/**
 * Grid search over clipping ranges, shared by the MSE (paper Eq. 16) and cross-entropy (Eq. 17)
 * estimators: candidates are shrink factors α = i/N, i = N..1, of the min-max range, as
 * Brevitas's MSE and AIMET's candidate search do. α = 1 (min-max itself) is always tried, so
 * the result is never worse than min-max under the same cost.
 */
import { quantError } from '../errors';
import type { ResolvedGrid } from '../grid';
import type { ClipRange } from '../types';

export const DEFAULT_CANDIDATES = 100;

export interface SearchOptions {
  /** Number of shrink factors N (default 100). */
  readonly candidates?: number;
  /** After the joint search, refine the low end, then the high end, each alone. */
  readonly independent?: boolean;
}

/**
 * The range a grid actually covers for data in `r`: asymmetric widens to contain 0, signed
 * symmetric becomes ±max|x|, unsigned symmetric [0, max]. Encodings of both are identical;
 * searching from these bounds makes the returned range the real clipping range.
 * @example searchBounds({ min: -1, max: 3 }, signed symmetric grid) -> { min: -3, max: 3 }
 */
export function searchBounds(
  r: ClipRange,
  grid: Pick<ResolvedGrid, 'scheme' | 'signed'>,
): ClipRange {
  const lo = Math.min(r.min, 0);
  const hi = Math.max(r.max, 0);
  if (grid.scheme === 'asymmetric') return { min: lo, max: hi };
  if (!grid.signed) return { min: 0, max: hi };
  const m = Math.max(-lo, hi);
  return { min: -m, max: m };
}

/**
 * Returns the candidate range with the lowest cost; ties keep the wider range.
 * The bounds are first widened to contain 0, as every encoding does.
 * @example searchRange({ min: -4, max: 4 }, (r) => Math.abs(r.max - 1), { candidates: 4 })
 *   -> { min: -1, max: 1 } (α = 1/4)
 */
export function searchRange(
  bounds: ClipRange,
  cost: (range: ClipRange) => number,
  options: SearchOptions = {},
): ClipRange {
  const n = options.candidates ?? DEFAULT_CANDIDATES;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    throw quantError('OPTION', { name: 'candidates', value: n, expected: 'an integer 1..100000' });
  }
  const lo = Math.min(bounds.min, 0);
  const hi = Math.max(bounds.max, 0);
  let best: ClipRange = { min: lo, max: hi };
  let bestCost = cost(best);
  const consider = (r: ClipRange) => {
    const c = cost(r);
    if (c < bestCost) {
      best = r;
      bestCost = c;
    }
  };
  for (let i = n - 1; i >= 1; i--) consider({ min: (lo * i) / n, max: (hi * i) / n });
  if (options.independent === true) {
    const joint = best;
    if (lo < 0) for (let i = n; i >= 1; i--) consider({ min: (lo * i) / n, max: joint.max });
    const low = best.min;
    if (hi > 0) for (let i = n; i >= 1; i--) consider({ min: low, max: (hi * i) / n });
  }
  return best;
}
