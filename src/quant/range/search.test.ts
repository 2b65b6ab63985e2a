import { describe, expect, it } from 'vitest';
import { searchRange } from './search';

describe('searchRange', () => {
  it('tries α = i/N of the zero-widened bounds and keeps the cheapest', () => {
    // α ∈ {1, 3/4, 1/2, 1/4}; |max - 1| is 0 at α = 1/4
    const r = searchRange({ min: -4, max: 4 }, (c) => Math.abs(c.max - 1), { candidates: 4 });
    expect(r).toEqual({ min: -1, max: 1 });
    // [1, 4] is widened to [0, 4] first
    expect(searchRange({ min: 1, max: 4 }, () => 0)).toEqual({ min: 0, max: 4 });
  });

  it('keeps the widest range on ties and refines ends independently on request', () => {
    expect(searchRange({ min: -2, max: 2 }, () => 1, { candidates: 10 })).toEqual({
      min: -2,
      max: 2,
    });
    // Cost wants min = -1 and max = 2: jointly impossible, independently found.
    const cost = (c: { min: number; max: number }) => Math.abs(c.min + 1) + Math.abs(c.max - 2);
    const joint = searchRange({ min: -4, max: 4 }, cost, { candidates: 4 });
    const indep = searchRange({ min: -4, max: 4 }, cost, { candidates: 4, independent: true });
    expect(cost(indep)).toBeLessThan(cost(joint));
    expect(indep).toEqual({ min: -1, max: 2 });
  });

  it('validates the candidate count', () => {
    expect(() => searchRange({ min: 0, max: 1 }, () => 0, { candidates: 0 })).toThrow(
      'candidates = 0',
    );
  });
});
