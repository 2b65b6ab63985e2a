import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeQuantValue } from './affine';
import {
  channelEncoding,
  encodingFromRange,
  encodingsFromRanges,
  makeEncoding,
  powerOfTwoCeil,
  SCALE_EPS,
} from './encodings';
import { resolveGrid } from './grid';
import type { GridSpec } from './types';

const f32 = Math.fround;
const asym8: GridSpec = { bits: 8, scheme: 'asymmetric' };
const sym8: GridSpec = { bits: 8, scheme: 'symmetric' };

describe('encodingFromRange: worked examples (torch MinMaxObserver conventions)', () => {
  it('quint8 asymmetric on [-1, 3]: s = 4/255, z = 64 (torch: 0.01568627543747425, 64)', () => {
    // s = (3 - (-1)) / (255 - 0) = 4/255 = 0.0156862745..., in float32 0.01568627543747425
    // z = 0 - ⌊-1 / s⌉ = -⌊-63.749996⌉ = 64 (exactly 255/4 = 63.75 in real arithmetic)
    const e = encodingFromRange({ min: -1, max: 3 }, asym8);
    expect(e.scale).toBe(0.01568627543747425);
    expect(e.zeroPoint).toBe(64);
    // min = s(0 - 64) = -1.0039216, max = s(255 - 64) = 191 s = 2.9960785
    expect(e.min).toBe(f32(-64 * e.scale));
    expect(e.max).toBe(2.9960784912109375);
    expect(e.isSymmetric).toBe(false);
  });

  it('qint8 asymmetric on [-1, 3]: same s, z = -128 + 64 = -64', () => {
    const e = encodingFromRange({ min: -1, max: 3 }, { ...asym8, signed: true });
    expect(e.scale).toBe(0.01568627543747425);
    expect(e.zeroPoint).toBe(-64);
  });

  it('qint8 symmetric on [-1, 3]: s = max(1, 3) / ((127 + 128)/2) = 3/127.5, z = 0', () => {
    const e = encodingFromRange({ min: -1, max: 3 }, sym8);
    expect(e.scale).toBe(f32(3 / 127.5)); // 0.0235294122248888
    expect(e.scale).toBe(0.0235294122248888);
    expect(e.zeroPoint).toBe(0);
    // Narrow range [-127, 127]: s = 3 / 127, the range is exactly [-3, 3].
    const n = encodingFromRange({ min: -1, max: 3 }, { ...sym8, narrowRange: true });
    expect(n.scale).toBe(f32(3 / 127));
    expect([n.min, n.max]).toEqual([-3, 3]);
  });

  it('unsigned symmetric (Eq. 8b) for ReLU6 outputs: s = 6/255, z = 0', () => {
    const e = encodingFromRange({ min: 0, max: 6 }, { ...sym8, signed: false });
    expect(e.scale).toBe(f32(6 / 255));
    expect([e.zeroPoint, e.min, e.max]).toEqual([0, 0, 6]);
  });

  it('widens the range to contain 0 and floors the scale at float32 eps', () => {
    // [0.5, 2] -> [0, 2]: s = 2/255, z = 0
    const pos = encodingFromRange({ min: 0.5, max: 2 }, asym8);
    expect([pos.scale, pos.zeroPoint]).toEqual([f32(2 / 255), 0]);
    // [-2.5, -0.5] -> [-2.5, 0]: s = 2.5/255, z = 0 - ⌊-255⌉ = 255
    expect(encodingFromRange({ min: -2.5, max: -0.5 }, asym8).zeroPoint).toBe(255);
    // All zeros: s = max(0, eps) = 2^-23, z = 0
    const zero = encodingFromRange({ min: 0, max: 0 }, asym8);
    expect([zero.scale, zero.zeroPoint]).toEqual([SCALE_EPS, 0]);
    expect(SCALE_EPS).toBe(2 ** -23);
  });

  it('power-of-two rounds the symmetric scale up: 4-bit on [-1, 3] -> 3/7.5 = 0.4 -> 0.5', () => {
    const e = encodingFromRange({ min: -1, max: 3 }, { bits: 4, scheme: 'power-of-two' });
    expect([e.scale, e.zeroPoint, e.min, e.max]).toEqual([0.5, 0, -4, 3.5]);
    expect([powerOfTwoCeil(0.25), powerOfTwoCeil(0.26), powerOfTwoCeil(3)]).toEqual([0.25, 0.5, 4]);
  });

  it('rejects bad ranges and parameters, naming them', () => {
    expect(() => encodingFromRange({ min: 2, max: 1 }, asym8)).toThrow('got [2, 1]');
    expect(() => encodingFromRange({ min: 0, max: Infinity }, asym8)).toThrow(/finite/);
    expect(() => makeEncoding(resolveGrid(asym8), 0.1, 300)).toThrow('[0, 255]; got 300');
    expect(() => makeEncoding(resolveGrid(asym8), -1, 0)).toThrow('got -1');
  });
});

describe('encoding properties', () => {
  const finite = fc.double({ min: -1e4, max: 1e4, noNaN: true });
  const specs = fc.record({
    bits: fc.integer({ min: 2, max: 16 }),
    scheme: fc.constantFrom('asymmetric', 'symmetric', 'power-of-two' as const),
    signed: fc.boolean(),
    narrowRange: fc.boolean(),
  });

  it('zero is exactly representable and the range covers [min(min,0), max(max,0)] up to one step', () => {
    fc.assert(
      fc.property(finite, finite, specs, (a, b, spec) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const e = encodingFromRange({ min, max }, spec);
        expect(fakeQuantValue(0, e)).toBe(0);
        expect(e.zeroPoint).toBeGreaterThanOrEqual(e.qmin);
        expect(e.zeroPoint).toBeLessThanOrEqual(e.qmax);
        expect(e.scale).toBeGreaterThanOrEqual(SCALE_EPS);
        // Unsigned symmetric grids drop negatives by design (Eq. 8b); others cover the range
        // to within one step (torch's symmetric denominator clips half a step at the top).
        if (spec.scheme === 'asymmetric' || spec.signed) {
          expect(e.min).toBeLessThanOrEqual(Math.min(min, 0) + e.scale);
        }
        expect(e.max).toBeGreaterThanOrEqual(Math.max(max, 0) - e.scale * 1.0001);
      }),
    );
  });

  it('packs per-channel encodings and reads them back', () => {
    const encs = encodingsFromRanges(
      [
        { min: -1, max: 3 },
        { min: 0, max: 1 },
      ],
      asym8,
      { channels: 2, inner: 1 },
    );
    expect(encs.granularity).toBe('per-channel');
    expect(Array.from(encs.zeroPoint)).toEqual([64, 0]);
    expect(channelEncoding(encs, 1).scale).toBe(f32(1 / 255));
    expect(() => channelEncoding(encs, 2)).toThrow('Channel 2 does not exist');
  });
});
