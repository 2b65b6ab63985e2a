import { describe, expect, it } from 'vitest';
import { bnRange, bnRanges, unionRange } from './bn';

describe('BN-based range setting (paper Eq. 18-19)', () => {
  it('gives β ∓ α|γ| per channel and their union per tensor (α = 6)', () => {
    // ch0: 0 ∓ 6·1 = [-6, 6]; ch1: 1 ∓ 6·0.5 = [-2, 4] (γ = -0.5 counts as 0.5)
    expect(bnRanges([0, 1], [1, -0.5])).toEqual([
      { min: -6, max: 6 },
      { min: -2, max: 4 },
    ]);
    expect(bnRange([0, 1], [1, -0.5])).toEqual({ min: -6, max: 6 });
    expect(bnRange([2], [1], 3)).toEqual({ min: -1, max: 5 });
    expect(
      unionRange([
        { min: 1, max: 2 },
        { min: -1, max: 0 },
      ]),
    ).toEqual({ min: -1, max: 2 });
  });

  it('rejects mismatched inputs', () => {
    expect(() => bnRanges([0, 1], [1])).toThrow('has 1 values; expected 2');
    expect(() => bnRanges([0], [1], 0)).toThrow('alpha = 0');
  });
});
