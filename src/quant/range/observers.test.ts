import { describe, expect, it } from 'vitest';
import { MinMaxObserver, MovingAverageMinMaxObserver } from './observers';

const f32 = Math.fround;

describe('observers', () => {
  it('min-max keeps the running extremes, merges and resets', () => {
    const o = new MinMaxObserver();
    expect(() => o.ranges()).toThrow('Observer is empty');
    o.observe([-1, 2]);
    o.observe([0, 3]);
    expect(o.ranges()).toEqual([{ min: -1, max: 3 }]);
    const other = new MinMaxObserver();
    other.observe([-5, 0]);
    o.merge(other);
    expect(o.ranges()).toEqual([{ min: -5, max: 3 }]);
    expect(o.batches).toBe(3);
    o.reset();
    expect(o.batches).toBe(0);
  });

  it('moving average follows torch: min += 0.01 (batch_min - min), in float32', () => {
    const o = new MovingAverageMinMaxObserver();
    o.observe([-1, 1]); // first batch sets [-1, 1]
    o.observe([-2, 3]); // min = -1 + 0.01·(-2 + 1) = -1.01; max = 1 + 0.01·(3 - 1) = 1.02
    expect(o.ranges()).toEqual([{ min: f32(-1.01), max: f32(1.02) }]);
    expect(() => new MovingAverageMinMaxObserver(undefined, 2)).toThrow('averagingConstant = 2');
  });

  it('works per channel', () => {
    const o = new MinMaxObserver({ channels: 2, inner: 1 });
    o.observe([1, -2, 3, 4]);
    o.observe([0, 5]);
    expect(o.ranges()).toEqual([
      { min: 0, max: 3 },
      { min: -2, max: 5 },
    ]);
  });
});
