import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundHalfAway, roundHalfEven, rounderFor, stochasticRounder } from './rounding';

describe('rounding', () => {
  it('rounds ties to even like nearbyint / torch.round', () => {
    const ties = [-3.5, -2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 127.5, -127.5];
    expect(ties.map(roundHalfEven)).toEqual([-4, -2, -2, -0, 0, 2, 2, 4, 128, -128]);
    expect(ties.map(roundHalfAway)).toEqual([-4, -3, -2, -1, 1, 2, 3, 4, 128, -128]);
  });

  it('is within 1/2 of the input and integer-valued, and agrees with Math.round off ties', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (v) => {
        const r = roundHalfEven(v);
        expect(Number.isInteger(r)).toBe(true);
        expect(Math.abs(r - v)).toBeLessThanOrEqual(0.5);
        if (Math.abs(v - Math.floor(v) - 0.5) > 1e-9) expect(r).toBe(Math.round(v));
      }),
    );
  });

  it('stochastic rounding is seeded and unbiased', () => {
    const a = stochasticRounder(5);
    const b = stochasticRounder(5);
    const xs = Array.from({ length: 20_000 }, () => a(2.25));
    expect(Array.from({ length: 5 }, () => b(2.25))).toEqual(xs.slice(0, 5));
    expect(new Set(xs)).toEqual(new Set([2, 3]));
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(2.25, 1);
  });

  it('maps modes to rounders', () => {
    expect(rounderFor('nearest')(2.5)).toBe(2);
    expect(rounderFor('floor')(2.9)).toBe(2);
    expect([0, 1]).toContain(rounderFor('stochastic', 1)(0.5));
  });
});
