import { describe, expect, it } from 'vitest';
import { SPIRAL_TEST, SPIRAL_TRAIN, makeSpiral, spiralSplits } from './spiral';

describe('makeSpiral', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = makeSpiral({ seed: 5, count: 50, noise: 0.1 });
    const b = makeSpiral({ seed: 5, count: 50, noise: 0.1 });
    const c = makeSpiral({ seed: 6, count: 50, noise: 0.1 });
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(a.x).not.toEqual(c.x);
  });

  it('puts noise-free points on the two arms r = u, angle = 2*pi*1.75*u + label*pi', () => {
    const s = makeSpiral({ seed: 3, count: 200, noise: 0 });
    expect(s.x.length).toBe(400);
    for (let i = 0; i < s.count; i++) {
      const px = s.x[2 * i] ?? NaN;
      const py = s.x[2 * i + 1] ?? NaN;
      const r = Math.hypot(px, py);
      expect(r).toBeLessThan(1);
      const angle = 2 * Math.PI * 1.75 * r + (s.y[i] ?? 0) * Math.PI;
      expect(px).toBeCloseTo(r * Math.sin(angle), 5);
      expect(py).toBeCloseTo(r * Math.cos(angle), 5);
    }
  });

  it('alternates labels so the classes are balanced', () => {
    const s = makeSpiral({ seed: 1, count: 7, noise: 0.2 });
    expect(Array.from(s.y)).toEqual([0, 1, 0, 1, 0, 1, 0]);
  });

  it('adds noise with the requested spread', () => {
    const clean = makeSpiral({ seed: 9, count: 4000, noise: 0 });
    const noisy = makeSpiral({ seed: 9, count: 4000, noise: 0.05 });
    // Noise draws interleave with the u draws, so compare mean squared norms, not points.
    let sq = 0;
    for (let i = 0; i < noisy.count; i++) {
      const px = noisy.x[2 * i] ?? 0;
      const py = noisy.x[2 * i + 1] ?? 0;
      sq += px * px + py * py;
    }
    let sqClean = 0;
    for (let i = 0; i < clean.count; i++) {
      sqClean += (clean.x[2 * i] ?? 0) ** 2 + (clean.x[2 * i + 1] ?? 0) ** 2;
    }
    // E|p|^2 = E u^2 + 2 sigma^2 = 1/3 + 2 * 0.0025.
    expect(sqClean / clean.count).toBeCloseTo(1 / 3, 1);
    expect(sq / noisy.count - sqClean / clean.count).toBeCloseTo(0.005, 2);
  });

  it('rejects a negative or fractional count', () => {
    expect(() => makeSpiral({ seed: 1, count: -1, noise: 0 })).toThrow(/whole number/);
    expect(() => makeSpiral({ seed: 1, count: 2.5, noise: 0 })).toThrow(/whole number/);
  });
});

describe('spiralSplits', () => {
  it('gives the zoo train and test sets, disjoint seeds and fixed sizes', () => {
    const { train, test } = spiralSplits();
    expect(train.count).toBe(SPIRAL_TRAIN.count);
    expect(test.count).toBe(SPIRAL_TEST.count);
    expect(SPIRAL_TRAIN.seed).not.toBe(SPIRAL_TEST.seed);
    expect(spiralSplits().test.x).toEqual(test.x);
    // The first test point is pinned: a change to the generator would silently change the
    // zoo's recorded spiral accuracy.
    expect(Array.from(test.x.subarray(0, 2), (v) => Number(v.toFixed(4)))).toEqual(
      FIRST_TEST_POINT,
    );
  });
});

const FIRST_TEST_POINT = [0.052, 0.0501];
