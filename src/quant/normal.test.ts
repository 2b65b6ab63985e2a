import { describe, expect, it } from 'vitest';
import { clippedNormalMean, erf, erfc, normalCdf, normalPdf } from './normal';
import { mulberry32, randNormal } from './random';

// Reference values: Python's math.erf / math.erfc (C library, correctly rounded to ~1 ulp).
const ERF: [number, number, number][] = [
  [0.1, 0.1124629160182849, 0.8875370839817152],
  [0.5, 0.5204998778130465, 0.4795001221869535],
  [1, 0.8427007929497149, 0.15729920705028513],
  [1.5, 0.9661051464753108, 0.033894853524689274],
  [2, 0.9953222650189527, 0.004677734981047265],
  [2.5, 0.999593047982555, 0.0004069520174449589],
  [3, 0.9999779095030014, 2.2090496998585438e-5],
  [4, 0.9999999845827421, 1.541725790028002e-8],
  [5, 0.9999999999984626, 1.5374597944280351e-12],
];

describe('standard normal pdf / cdf', () => {
  it('erf and erfc match known values to ~1e-14 relative, in both tails', () => {
    for (const [x, e, c] of ERF) {
      expect(erf(x)).toBeCloseTo(e, 14);
      expect(erf(-x)).toBeCloseTo(-e, 14);
      expect(Math.abs(erfc(x) / c - 1)).toBeLessThan(1e-13);
      expect(erfc(-x)).toBeCloseTo(2 - c, 14);
    }
    expect(erf(0)).toBe(0);
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
  });

  it('Φ and φ match known values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 14);
    expect(Math.abs(normalCdf(-3) / 0.0013498980316300957 - 1)).toBeLessThan(1e-13);
    expect(Math.abs(normalCdf(-8) / 6.220960574271819e-16 - 1)).toBeLessThan(1e-12);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    expect(normalPdf(1)).toBeCloseTo(0.24197072451914337, 15);
    expect(normalPdf(-Infinity)).toBe(0);
  });
});

describe('clippedNormalMean (analytic bias correction, paper 3.3)', () => {
  it('gives the hand-worked values', () => {
    // E[ReLU(N(0, 1))] = φ(0) = 1/√(2π)
    expect(clippedNormalMean(0, 1, 0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 15);
    // Paper form γφ(β/γ) + βΦ(β/γ) for β = 1, γ = 2
    expect(clippedNormalMean(1, 2, 0)).toBeCloseTo(2 * normalPdf(0.5) + normalCdf(0.5), 14);
    // Clipping [0, 6] symmetric around μ = 3 keeps the mean; no clipping = μ; σ = 0 = clamp(μ)
    expect(clippedNormalMean(3, 1, 0, 6)).toBeCloseTo(3, 14);
    expect(clippedNormalMean(-0.7, 1.3)).toBeCloseTo(-0.7, 14);
    expect(clippedNormalMean(7, 0, 0, 6)).toBe(6);
    expect(clippedNormalMean(-2, 0, 0)).toBe(0);
    // Negative γ (a BN may learn one) counts as |γ|; far tails give the bounds
    expect(clippedNormalMean(1, -2, 0)).toBe(clippedNormalMean(1, 2, 0));
    expect(clippedNormalMean(-40, 1, 0)).toBeCloseTo(0, 15);
    expect(clippedNormalMean(40, 1, 0, 6)).toBeCloseTo(6, 14);
  });

  it('matches a seeded Monte Carlo estimate for ReLU and ReLU6', () => {
    const rng = mulberry32(7);
    const n = 200_000;
    const cases: [number, number, number][] = [
      [0, 1, Infinity],
      [0.8, 0.5, Infinity],
      [-1.5, 2, Infinity],
      [2, 3, 6],
      [5, 2, 6],
    ];
    for (const [mu, sigma, hi] of cases) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.min(Math.max(mu + sigma * randNormal(rng), 0), hi);
      // standard error ≤ σ/√n ≈ 0.007 for σ = 3; allow 4 of them
      expect(Math.abs(sum / n - clippedNormalMean(mu, sigma, 0, hi))).toBeLessThan(
        (4 * sigma) / Math.sqrt(n),
      );
    }
  });
});
