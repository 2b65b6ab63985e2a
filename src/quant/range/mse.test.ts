import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeQuant } from '../affine';
import { encodingsFromRanges } from '../encodings';
import { histogram } from '../metrics';
import { normalTensor, sumSquaredDiff } from '../testData';
import type { ClipRange, GridSpec } from '../types';
import { minMaxRange } from './minMax';
import { mseRange, mseRangeFromHistogram, mseRanges } from './mse';

const errorOf = (x: Float32Array, r: ClipRange, spec: GridSpec) =>
  sumSquaredDiff(x, fakeQuant(x, encodingsFromRanges([r], spec)));

describe('MSE range setting (paper Eq. 16)', () => {
  it('clips an outlier that min-max keeps', () => {
    // 10 000 N(0,1) values + one at 20: min-max at 4 bits has s = 20/7.5 ≈ 2.7, so most
    // values round to 0 (error ≈ Σx² ≈ 10 000 minus a little); clipping the outlier at ~3σ
    // costs only (20 - 3)² ≈ 290, so MSE shrinks the range to a few σ.
    const x = Float32Array.from([...normalTensor(1, 10_000), 20]);
    const spec: GridSpec = { bits: 4, scheme: 'symmetric' };
    const r = mseRange(x, spec);
    expect(r.max).toBeLessThan(10);
    expect(r.max).toBeGreaterThan(2);
    expect(errorOf(x, r, spec)).toBeLessThan(errorOf(x, minMaxRange(x), spec) / 2);
  });

  it('is never worse than min-max at 4 bits (α = 1 is a candidate)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: Math.fround(-100), max: Math.fround(100), noNaN: true }), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.constantFrom('asymmetric', 'symmetric', 'power-of-two' as const),
        fc.boolean(),
        fc.constantFrom('joint', 'independent' as const),
        (values, scheme, signed, search) => {
          const x = Float32Array.from(values);
          const spec: GridSpec = { bits: 4, scheme, signed };
          const r = mseRange(x, spec, { candidates: 20, search });
          expect(errorOf(x, r, spec)).toBeLessThanOrEqual(errorOf(x, minMaxRange(x), spec));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('independent ends help a one-sided outlier (asymmetric)', () => {
    const x = Float32Array.from([...normalTensor(2, 2000).map(Math.abs), 40]);
    const spec: GridSpec = { bits: 4, scheme: 'asymmetric' };
    const joint = mseRange(x, spec, { search: 'joint' });
    const indep = mseRange(x, spec, { search: 'independent' });
    expect(errorOf(x, indep, spec)).toBeLessThanOrEqual(errorOf(x, joint, spec));
  });

  it('per channel, and from a histogram close to the exact search', () => {
    const layout = { channels: 2, inner: 1 };
    const x = normalTensor(3, 2000);
    for (let i = 1; i < x.length; i += 2) x[i] = (x[i] as number) * 10;
    const [a, b] = mseRanges(x, layout, { bits: 4, scheme: 'symmetric' });
    expect((b?.max ?? 0) / (a?.max ?? 1)).toBeGreaterThan(5);
    const y = normalTensor(4, 20_000);
    const spec: GridSpec = { bits: 4, scheme: 'asymmetric' };
    const exact = mseRange(y, spec);
    const approx = mseRangeFromHistogram(histogram(y, { bins: 2048 }), spec);
    expect(errorOf(y, approx, spec)).toBeLessThan(errorOf(y, exact, spec) * 1.02);
  });
});
