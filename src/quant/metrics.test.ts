import { describe, expect, it } from 'vitest';
import { fakeQuant } from './affine';
import { encodingFromRange, encodingsFromRanges } from './encodings';
import { binEdges, errorParts, gridPoints, histogram, mse, sqnrDb } from './metrics';
import { minMaxRange } from './range/minMax';
import { normalTensor, sumSquaredDiff, uniformTensor } from './testData';
import type { GridSpec } from './types';

describe('metrics: worked values', () => {
  it('SQNR = 10 log10(Σx² / Σ(x - x̂)²)', () => {
    // Σx² = 2, Σ(x - x̂)² = 0.01 + 0.01 = 0.02 -> 10 log10(100) = 20 dB
    expect(sqnrDb([1, -1], [0.9, -0.9])).toBeCloseTo(20, 10);
    expect(sqnrDb([1, 2], [1, 2])).toBe(Infinity);
    expect(sqnrDb([0, 0], [0, 0])).toBe(Infinity);
    expect(sqnrDb([0], [1])).toBe(-Infinity);
    expect(() => sqnrDb([1], [1, 2])).toThrow('has 2 values; expected 1');
  });

  it('MSE and the clipping / rounding split', () => {
    expect(mse([1, 2], [1, 4])).toBe(2); // (0 + 4) / 2
    expect(mse([], [])).toBe(0);
    // Range [0, 1]: 5 is clipped to 1 -> clipping error 16; 0.5 is inside -> rounding error
    expect(errorParts([0.5, 5], [0.25, 1], { min: 0, max: 1 })).toEqual({
      rounding: 0.0625,
      clipping: 16,
    });
  });

  it('bins values; the last bin includes max; outside values are counted apart', () => {
    const h = histogram([0, 0.4, 0.5, 1, 2, -1, NaN], { bins: 2, min: 0, max: 1 });
    expect(Array.from(h.counts)).toEqual([2, 2]);
    expect([h.underflow, h.overflow]).toEqual([1, 1]);
    expect(Array.from(binEdges(h))).toEqual([0, 0.5, 1]);
    expect(Array.from(histogram([3, 3, 3]).counts.slice(0, 1))).toEqual([3]);
  });

  it('lists grid points for drawing, thinned to a limit', () => {
    const e = encodingFromRange({ min: 0, max: 3 }, { bits: 2, scheme: 'asymmetric' }); // s = 1
    expect(Array.from(gridPoints(e))).toEqual([0, 1, 2, 3]);
    expect(Array.from(gridPoints(e, { from: 0.5, to: 2 }))).toEqual([1, 2]);
    const big = encodingFromRange({ min: -1, max: 1 }, { bits: 16, scheme: 'symmetric' });
    expect(gridPoints(big, { limit: 100 }).length).toBeLessThanOrEqual(100);
  });
});

describe('metrics: the bit-width rules', () => {
  const errAt = (x: Float32Array, bits: number, scheme: GridSpec['scheme']) =>
    sumSquaredDiff(x, fakeQuant(x, encodingsFromRanges([minMaxRange(x)], { bits, scheme })));

  it('min-max error does not grow as bits grow (2..16)', () => {
    // Grids of different bit-widths are not nested, so a handful of values can break this;
    // on 4096 draws from a continuous distribution it holds with a wide margin.
    for (const seed of [1, 2, 3]) {
      for (const scheme of ['asymmetric', 'symmetric'] as const) {
        const x = normalTensor(seed, 4096);
        for (let b = 2; b < 16; b++) {
          expect(errAt(x, b + 1, scheme)).toBeLessThanOrEqual(errAt(x, b, scheme));
        }
      }
    }
  });

  it('SQNR gains about 6.02 dB per bit on uniform data', () => {
    // Uniform x on [-1, 1]: signal power 1/3, noise s²/12 with s = 2/(2^b - 1), so
    // SQNR = 10 log10(4 (2^b - 1)² / 4) ≈ 6.02 b dB and each extra bit adds ≈ 20 log10 2.
    const x = uniformTensor(7, 50_000);
    const sqnr = (b: number) =>
      sqnrDb(
        x,
        fakeQuant(x, encodingsFromRanges([minMaxRange(x)], { bits: b, scheme: 'asymmetric' })),
      );
    for (let b = 4; b < 12; b++) {
      expect(Math.abs(sqnr(b + 1) - sqnr(b) - 6.02)).toBeLessThan(0.4);
    }
    expect(Math.abs(sqnr(8) - 20 * Math.log10(255))).toBeLessThan(0.3);
  });
});
