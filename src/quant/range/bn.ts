/**
 * BatchNorm-based activation ranges (paper Eq. 18-19): q_min = min(β - αγ), q_max =
 * max(β + αγ), from the BN shift β and scale γ of the layer that produces the activation; no
 * data needed. α = 6 (Nagel et al. 2019) clips only large outliers.
 */
import { quantError } from '../errors';
import type { ClipRange } from '../types';

export const DEFAULT_BN_ALPHA = 6;

/**
 * One range per channel: [β - α|γ|, β + α|γ|] (|γ| so a negative γ still gives min <= max).
 * @example bnRanges([0, 1], [1, -0.5]) -> [{ min: -6, max: 6 }, { min: -2, max: 4 }]
 */
export function bnRanges(
  beta: ArrayLike<number>,
  gamma: ArrayLike<number>,
  alpha = DEFAULT_BN_ALPHA,
): ClipRange[] {
  if (beta.length !== gamma.length) {
    throw quantError('LENGTH', {
      what: 'BatchNorm gamma',
      expected: beta.length,
      actual: gamma.length,
    });
  }
  if (beta.length === 0) throw quantError('EMPTY', { what: 'BatchNorm beta' });
  if (!(alpha > 0 && Number.isFinite(alpha))) {
    throw quantError('OPTION', { name: 'alpha', value: alpha, expected: 'a finite number > 0' });
  }
  return Array.from({ length: beta.length }, (_, c) => {
    const b = beta[c] as number;
    const g = Math.abs(gamma[c] as number);
    return { min: b - alpha * g, max: b + alpha * g };
  });
}

/**
 * Per-tensor BN range: the union of the channel ranges (Eq. 18-19).
 * @example bnRange([0, 1], [1, -0.5]) -> { min: -6, max: 6 }
 */
export function bnRange(
  beta: ArrayLike<number>,
  gamma: ArrayLike<number>,
  alpha = DEFAULT_BN_ALPHA,
): ClipRange {
  return unionRange(bnRanges(beta, gamma, alpha));
}

/** The smallest range containing all `ranges` (per-channel -> per-tensor). */
export function unionRange(ranges: readonly ClipRange[]): ClipRange {
  if (ranges.length === 0) throw quantError('EMPTY', { what: 'Range list' });
  let min = Infinity;
  let max = -Infinity;
  for (const r of ranges) {
    min = Math.min(min, r.min);
    max = Math.max(max, r.max);
  }
  return { min, max };
}
