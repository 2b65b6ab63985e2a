import { describe, expect, it } from 'vitest';
import { histogram } from '../metrics';
import { normalTensor } from '../testData';
import { percentileRange, percentileRangeFromHistogram, percentileRanges } from './percentile';

describe('percentile range setting', () => {
  it('interpolates between order statistics like numpy', () => {
    const x = Array.from({ length: 101 }, (_, i) => i); // 0..100
    expect(percentileRange(x, 99)).toEqual({ min: 1, max: 99 });
    expect(percentileRange(x, 100)).toEqual({ min: 0, max: 100 });
    // [0, 10]: P_99.5 at position 0.995 -> 9.95, P_0.5 at 0.005 -> 0.05
    const r = percentileRange([10, 0], 99.5);
    expect(r.min).toBeCloseTo(0.05, 12);
    expect(r.max).toBeCloseTo(9.95, 12);
    expect(() => percentileRange(x, 40)).toThrow('percentile = 40');
    expect(() => percentileRange([NaN], 99)).toThrow('empty');
  });

  it('per channel and from a histogram', () => {
    const x = Float32Array.of(0, 10, 1, 20, 2, 30);
    expect(percentileRanges(x, { channels: 2, inner: 1 }, 100)).toEqual([
      { min: 0, max: 2 },
      { min: 10, max: 30 },
    ]);
    const y = normalTensor(1, 100_000);
    const exact = percentileRange(y, 99.9);
    const approx = percentileRangeFromHistogram(histogram(y, { bins: 2048 }), 99.9);
    expect(approx.max).toBeCloseTo(exact.max, 1);
    expect(approx.min).toBeCloseTo(exact.min, 1);
    expect(exact.max).toBeCloseTo(3.09, 1); // N(0,1) 99.9th percentile
  });
});
