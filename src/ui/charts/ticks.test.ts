import { describe, expect, it } from 'vitest';
import { niceTicks } from './ticks';

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, inside [min, max]', () => {
    expect(niceTicks(0, 7, 4)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(-0.43, 0.51, 4)).toEqual([-0.4, -0.2, 0, 0.2, 0.4]);
    expect(niceTicks(0, 1000, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
  });

  it('gives one tick for an empty or invalid span', () => {
    expect(niceTicks(3, 3)).toEqual([3]);
    expect(niceTicks(0, NaN)).toEqual([0]);
  });
});
