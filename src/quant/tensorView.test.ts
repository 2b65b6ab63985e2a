import { describe, expect, it } from 'vitest';
import { fakeQuant } from './affine';
import { encodingsFromRanges } from './encodings';
import { errorParts, sqnrDb } from './metrics';
import { errorSplit, tensorView, widestChannel } from './tensorView';
import { normalTensor } from './testData';

describe('errorSplit: clipping vs rounding (paper 2.2)', () => {
  it('splits the MSE by whether x lies inside [min, max]', () => {
    // Range [0, 3]: -1 -> 0 and 5 -> 3 are clipped: (1 + 4) / 5 = 1. Inside: 0.25 -> 0,
    // 1.5 -> 2, 2.75 -> 3 round: (0.0625 + 0.25 + 0.0625) / 5 = 0.075.
    const x = [-1, 0.25, 1.5, 2.75, 5];
    const xq = [0, 0, 2, 3, 3];
    expect(errorSplit(x, xq, { min: 0, max: 3 })).toEqual({
      clipping: 1,
      rounding: 0.075,
      clipped: 2,
      count: 5,
    });
    // The same split as metrics.errorParts, as means instead of sums.
    const sums = errorParts(x, xq, { min: 0, max: 3 });
    expect([sums.clipping / 5, sums.rounding / 5]).toEqual([1, 0.075]);
  });

  it('is zero for an exact copy and for empty input', () => {
    expect(errorSplit([1, 2], [1, 2], { min: 0, max: 1 })).toEqual({
      clipping: 0,
      rounding: 0,
      clipped: 1,
      count: 2,
    });
    expect(errorSplit([], [], { min: 0, max: 1 }).count).toBe(0);
  });
});

describe('tensorView: histogram, grid and error of one tensor', () => {
  it('worked example with a chosen clip range (2-bit asymmetric on [0, 3], s = 1, z = 0)', () => {
    const x = Float32Array.of(-1, 0.25, 1.5, 2.75, 5);
    const encodings = encodingsFromRanges([{ min: 0, max: 3 }], { bits: 2, scheme: 'asymmetric' });
    const v = tensorView(x, { encodings }, { bins: 6 });
    expect(v.channel).toBeNull();
    expect(Array.from(v.grid)).toEqual([0, 1, 2, 3]);
    expect([v.encoding.min, v.encoding.max]).toEqual([0, 3]);
    // The span covers the data [-1, 5] and the range [0, 3]: six bins of width 1.
    expect([v.histogram.min, v.histogram.max]).toEqual([-1, 5]);
    expect(Array.from(v.histogram.counts)).toEqual([1, 1, 1, 1, 0, 1]);
    expect(v.errors).toEqual({ clipping: 1, rounding: 0.075, clipped: 2, count: 5 });
    // Σx² = 1 + 0.0625 + 2.25 + 7.5625 + 25 = 35.875, Σ(x - x̂)² = 5.375.
    expect(v.sqnrDb).toBeCloseTo(10 * Math.log10(35.875 / 5.375), 10);
    expect(v.tensorSqnrDb).toBe(v.sqnrDb);
  });

  it('min-max symmetric clips the largest positive value by half a step (torch scale)', () => {
    // Signed 2-bit: codes -2..1, s = max|x| / 1.5 = 1, so [min, max] = [-2, 1].
    // -1.5 -> -2 (tie to even, inside: rounding 0.25); -0.25 -> 0 (0.0625); 0.75 -> 1 (0.0625);
    // 1.5 -> 1 (outside: clipping 0.25). Means over 4 values.
    const x = Float32Array.of(-1.5, -0.25, 0.75, 1.5);
    const v = tensorView(x, {
      spec: { bits: 2, scheme: 'symmetric', range: { method: 'min-max' } },
      layout: { channels: 1, inner: 1 },
    });
    expect(v.encoding.scale).toBe(1);
    expect(Array.from(v.grid)).toEqual([-2, -1, 0, 1]);
    expect(v.errors).toEqual({ clipping: 0.0625, rounding: 0.09375, clipped: 1, count: 4 });
  });

  it('draws 2^b grid points per-tensor, and rounding error grows as bits fall', () => {
    const x = normalTensor(3, 4096);
    const at = (bits: number) =>
      tensorView(x, {
        spec: { bits, scheme: 'symmetric', granularity: 'per-tensor' },
        layout: { channels: 64, inner: 1 },
      });
    const [v8, v4] = [at(8), at(4)];
    expect(v8.grid.length).toBe(256);
    expect(v4.grid.length).toBe(16);
    expect(v8.channel).toBeNull();
    // s grows 127.5/7.5 = 17x, so the rounding MSE (≈ s²/12) grows about 289x.
    expect(v4.errors.rounding).toBeGreaterThan(100 * v8.errors.rounding);
    const xq = fakeQuant(x, v4.encodings);
    const mse = x.reduce((s, xi, i) => s + (xi - (xq[i] ?? 0)) ** 2, 0) / x.length;
    expect(v4.errors.clipping + v4.errors.rounding).toBeCloseTo(mse, 10);
  });

  it('per-channel: shows the widest channel by default, or the chosen one', () => {
    // Channels interleaved (last axis): ch0 = [0.1, -0.1, 0.05], ch1 = [-4, 4, 2].
    const x = Float32Array.of(0.1, -4, -0.1, 4, 0.05, 2);
    const quantizer = {
      spec: { bits: 8, scheme: 'symmetric', granularity: 'per-channel' },
      layout: { channels: 2, inner: 1 },
    } as const;
    const wide = tensorView(x, quantizer);
    expect(wide.channel).toBe(1);
    expect(wide.ranges).toEqual([
      { min: Math.fround(-0.1), max: Math.fround(0.1) },
      { min: -4, max: 4 },
    ]);
    expect(wide.errors.count).toBe(3);
    expect(wide.encoding.scale).toBe(Math.fround(4 / 127.5));
    const narrow = tensorView(x, quantizer, { channel: 0 });
    expect(narrow.channel).toBe(0);
    expect(narrow.encoding.scale).toBe(Math.fround(Math.fround(0.1) / 127.5));
    expect(tensorView(x, quantizer, { channel: 9 }).channel).toBe(1);
    // The whole-tensor SQNR is the layer table's W-SQNR: kernel vs its fake-quantized self.
    expect(wide.tensorSqnrDb).toBe(sqnrDb(x, fakeQuant(x, wide.encodings)));
  });

  it('widestChannel picks the largest max - min, the first on ties', () => {
    expect(
      widestChannel([
        { min: 0, max: 1 },
        { min: -3, max: 2 },
      ]),
    ).toBe(1);
    expect(
      widestChannel([
        { min: 0, max: 2 },
        { min: 1, max: 3 },
      ]),
    ).toBe(0);
    expect(widestChannel([])).toBe(0);
  });
});
