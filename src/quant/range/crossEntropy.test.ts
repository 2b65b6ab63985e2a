import { describe, expect, it } from 'vitest';
import { fakeQuant } from '../affine';
import { encodingsFromRanges } from '../encodings';
import { mulberry32, randNormal } from '../random';
import type { GridSpec } from '../types';
import { crossEntropyRange, softmaxCrossEntropy } from './crossEntropy';
import { minMaxRange } from './minMax';

describe('cross-entropy range setting (paper Eq. 17)', () => {
  it('computes H(softmax(a), softmax(b)) per row, averaged', () => {
    expect(softmaxCrossEntropy([0, 0], [0, 0], 2)).toBeCloseTo(Math.log(2), 12);
    // p = (1, 0) in the limit; q = softmax(0, 0) -> H = ln 2
    expect(softmaxCrossEntropy([100, 0], [0, 0], 2)).toBeCloseTo(Math.log(2), 12);
    // Equal logits up to a shift are equal softmaxes: H = entropy of p
    const h = softmaxCrossEntropy([1, 2, 0, 0], [11, 12, 5, 5], 2);
    const p = 1 / (1 + Math.E);
    expect(h).toBeCloseTo((-(p * Math.log(p) + (1 - p) * Math.log(1 - p)) + Math.log(2)) / 2, 12);
  });

  it('beats min-max in cross-entropy on logits with a long negative tail', () => {
    const rng = mulberry32(9);
    const classes = 10;
    const logits = Float32Array.from({ length: 200 * classes }, (_, i) =>
      i % classes === 0 ? 8 + randNormal(rng) : -30 * Math.abs(randNormal(rng)),
    );
    const spec: GridSpec = { bits: 3, scheme: 'asymmetric' };
    const ce = (r: { min: number; max: number }) =>
      softmaxCrossEntropy(logits, fakeQuant(logits, encodingsFromRanges([r], spec)), classes);
    const r = crossEntropyRange(logits, classes, spec);
    const mm = minMaxRange(logits);
    expect(ce(r)).toBeLessThanOrEqual(ce(mm));
    expect(r.min).toBeGreaterThan(mm.min); // the negative tail is clipped
    expect(() => crossEntropyRange(logits, 7, spec)).toThrow('7 channels');
  });
});
