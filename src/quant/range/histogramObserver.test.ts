import { describe, expect, it } from 'vitest';
import { histogram } from '../metrics';
import { normalTensor } from '../testData';
import { HistogramObserver, rebin } from './histogramObserver';

describe('histogram observer', () => {
  it('widens its range and re-bins old counts by overlap', () => {
    const o = new HistogramObserver(4);
    o.observe([0, 1]); // [1, 0, 0, 1] over [0, 1]
    o.observe([3]); // range [0, 3]; old bins [0, .25) -> bin 0 and [.75, 1) -> bin 1
    const h = o.histogram();
    expect([h.min, h.max]).toEqual([0, 3]);
    expect(Array.from(h.counts)).toEqual([1, 1, 0, 1]);
    expect(o.ranges()).toEqual([{ min: 0, max: 3 }]);
  });

  it('keeps the total mass and approximates one big histogram', () => {
    const o = new HistogramObserver(256);
    const all: number[] = [];
    for (let b = 0; b < 5; b++) {
      const x = normalTensor(b, 2000, 1 + b);
      o.observe(x);
      all.push(...x);
    }
    const h = o.histogram();
    expect(h.counts.reduce((s, c) => s + c, 0)).toBeCloseTo(10_000, 6);
    const direct = histogram(all, { bins: 256 });
    expect([h.min, h.max]).toEqual([direct.min, direct.max]);
    expect(Array.from(rebin(direct, direct.min, direct.max, 256))).toEqual(
      Array.from(direct.counts),
    );
    const merged = new HistogramObserver(256);
    merged.merge(o);
    expect(merged.histogram().counts.reduce((s, c) => s + c, 0)).toBeCloseTo(10_000, 6);
    merged.reset();
    expect(() => merged.histogram()).toThrow('empty');
  });
});
