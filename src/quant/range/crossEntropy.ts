/**
 * Cross-entropy range setting (paper Eq. 17) for the logits that feed a softmax:
 * argmin H(ψ(v), ψ(v̂)) with ψ = softmax, averaged over a batch. MSE would weigh the many
 * small logits equally; what matters is keeping the order of the few large ones.
 */
import { fakeQuant } from '../affine';
import { encodingFromRange, packEncodings } from '../encodings';
import { quantError } from '../errors';
import { resolveGrid } from '../grid';
import type { ClipRange, GridSpec, MseSearch } from '../types';
import { minMaxRange } from './minMax';
import { searchBounds, searchRange } from './search';

/** log Σ exp(row) without overflow. */
function logSumExp(row: ArrayLike<number>, start: number, n: number): number {
  let m = -Infinity;
  for (let j = 0; j < n; j++) m = Math.max(m, row[start + j] as number);
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp((row[start + j] as number) - m);
  return m + Math.log(s);
}

/**
 * Mean over rows of H(softmax(a), softmax(b)) = -Σ_j p_j log q_j, for [n, classes] row-major.
 * @example softmaxCrossEntropy([0, 0], [0, 0], 2) = ln 2 ≈ 0.693
 */
export function softmaxCrossEntropy(
  reference: ArrayLike<number>,
  other: ArrayLike<number>,
  classes: number,
): number {
  const rows = reference.length / classes;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * classes;
    const lseP = logSumExp(reference, at, classes);
    const lseQ = logSumExp(other, at, classes);
    for (let j = 0; j < classes; j++) {
      const p = Math.exp((reference[at + j] as number) - lseP);
      if (p > 0) total -= p * ((other[at + j] as number) - lseQ);
    }
  }
  return rows === 0 ? 0 : total / rows;
}

/**
 * The clipping range of `logits` ([n, classes], row-major) whose fake-quantized softmax is
 * closest in cross-entropy to the float softmax. Candidates as in MSE (search.ts).
 * @example 10-class logits at 4 bits with one huge negative logit per row: the low end is
 *   clipped hard while the top logits keep their order
 */
export function crossEntropyRange(
  logits: ArrayLike<number>,
  classes: number,
  spec: GridSpec,
  options: { candidates?: number; search?: MseSearch } = {},
): ClipRange {
  if (!Number.isInteger(classes) || classes < 1 || logits.length % classes !== 0) {
    throw quantError('LAYOUT', { length: logits.length, channels: classes, inner: 1 });
  }
  const grid = resolveGrid(spec);
  const x = Float32Array.from(logits);
  const scratch = new Float32Array(x.length);
  const cost = (r: ClipRange) => {
    fakeQuant(x, packEncodings(grid, [encodingFromRange(r, grid)]), scratch);
    return softmaxCrossEntropy(x, scratch, classes);
  };
  return searchRange(searchBounds(minMaxRange(x), grid), cost, {
    candidates: options.candidates ?? 100,
    independent:
      (options.search ?? 'independent') === 'independent' && spec.scheme === 'asymmetric',
  });
}
