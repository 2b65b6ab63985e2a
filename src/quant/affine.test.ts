import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dequantize,
  dequantizeValue,
  fakeQuant,
  fakeQuantValue,
  quantize,
  quantizeValue,
  squaredError,
} from './affine';
import { encodingFromRange, encodingsFromRanges } from './encodings';
import { stochasticRounder } from './rounding';
import { sumSquaredDiff } from './testData';
import type { GridSpec } from './types';

const f32 = Math.fround;
const asym8: GridSpec = { bits: 8, scheme: 'asymmetric' };
const on = (min: number, max: number, spec: GridSpec = asym8) =>
  encodingsFromRanges([{ min, max }], spec);

describe('affine quantizer: worked values', () => {
  it('8-bit asymmetric on [-1, 3] (s = 4/255, z = 64)', () => {
    const e = encodingFromRange({ min: -1, max: 3 }, asym8);
    // 1/s in float32 = 63.749996; x·(1/s): -63.749996, 0, 31.874998, 63.749996, 191.24998
    // ⌊·⌉ + 64 -> 0, 64, 96, 128, 255 (Eq. 4)
    const x = Float32Array.of(-1, 0, 0.5, 1, 3);
    expect(Array.from(quantize(x, on(-1, 3)))).toEqual([0, 64, 96, 128, 255]);
    expect(quantizeValue(0.5, e)).toBe(96);
    // Eq. 6: s(q - z): -64 s, 0, 32 s, 64 s, 191 s
    const back = [0, 64, 96, 128, 255].map((q) => dequantizeValue(q, e));
    expect(back).toEqual([-64, 0, 32, 64, 191].map((k) => f32(k * e.scale)));
    expect(back[4]).toBe(2.9960784912109375);
    expect(Array.from(fakeQuant(x, on(-1, 3)))).toEqual(back);
    // Clipping (Eq. 5): far outside the range lands on the end codes.
    expect(Array.from(quantize(Float32Array.of(-100, 100), on(-1, 3)))).toEqual([0, 255]);
  });

  it('rounds ties to even as torch.fake_quantize_per_tensor_affine (s = 1, z = 0)', () => {
    // Range [0, 255] at 8 bits: s = 255/255 = 1, z = 0; ⌊0.5⌉ = 0, ⌊1.5⌉ = 2, ⌊2.5⌉ = 2.
    const x = Float32Array.of(0.5, 1.5, 2.5, 3.5);
    expect(Array.from(fakeQuant(x, on(0, 255)))).toEqual([0, 2, 2, 4]);
    // Symmetric 8-bit on [-1, 3]: 1/s = f32(127.5/3) = 42.5, so -1 -> ⌊-42.5⌉ = -42,
    // 3 -> ⌊127.5⌉ = 128 -> clamped to 127, -3 -> ⌊-127.5⌉ = -128.
    const sym = encodingFromRange({ min: -1, max: 3 }, { bits: 8, scheme: 'symmetric' });
    expect([-1, 3, -3].map((v) => quantizeValue(v, sym))).toEqual([-42, 127, -128]);
    expect(fakeQuantValue(1, sym)).toBe(f32(42 * sym.scale));
  });

  it('decides a tie before adding an odd zero point, as torch does', () => {
    // Range [-1, 254] at 8 bits: s = 255/255 = 1, z = 0 - round(-1/1) = 1 (odd).
    // torch: nearbyint(2.5) + 1 = 2 + 1 = 3 -> x̂ = (3 - 1)·1 = 2; rounding 2.5 + 1 = 3.5 instead
    // would give 4 -> x̂ = 3. Likewise -0.5 -> nearbyint = -0 -> code 1 -> x̂ = 0.
    const e = on(-1, 254);
    expect(e.zeroPoint[0]).toBe(1);
    expect(Array.from(fakeQuant(Float32Array.of(2.5, -0.5, 5.5), e))).toEqual([2, 0, 6]);
    expect(quantizeValue(2.5, encodingFromRange({ min: -1, max: 254 }, asym8))).toBe(3);
  });

  it('works in place and into a given output without allocating', () => {
    const x = Float32Array.of(-1, 0.3, 2);
    const expected = fakeQuant(x, on(-1, 3));
    const out = new Float32Array(3);
    expect(fakeQuant(x, on(-1, 3), out)).toBe(out);
    expect(fakeQuant(x, on(-1, 3), x)).toBe(x);
    expect(Array.from(x)).toEqual(Array.from(expected));
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it('takes other rounders (floor, stochastic)', () => {
    const x = Float32Array.of(0.9, 1.9);
    expect(Array.from(quantize(x, on(0, 255), undefined, Math.floor))).toEqual([0, 1]);
    const codes = quantize(
      Float32Array.from({ length: 1000 }, () => 0.5),
      on(0, 255),
      undefined,
      stochasticRounder(3),
    );
    expect(codes.reduce((s, c) => s + c, 0) / 1000).toBeCloseTo(0.5, 1);
  });
});

describe('affine quantizer: properties', () => {
  const values = fc.float({ min: f32(-1000), max: f32(1000), noNaN: true });
  const tensors = fc
    .array(values, { minLength: 1, maxLength: 64 })
    .map((a) => Float32Array.from(a));
  const specs = fc.record({
    bits: fc.integer({ min: 2, max: 16 }),
    scheme: fc.constantFrom('asymmetric', 'symmetric', 'power-of-two' as const),
    signed: fc.boolean(),
    narrowRange: fc.boolean(),
  });
  const range = fc
    .tuple(values, values)
    .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));

  it('fake-quant is idempotent and its codes stay in [qmin, qmax]', () => {
    fc.assert(
      fc.property(tensors, specs, range, (x, spec, r) => {
        const encs = encodingsFromRanges([r], spec);
        const once = fakeQuant(x, encs);
        expect(Array.from(fakeQuant(once, encs))).toEqual(Array.from(once));
        for (const q of quantize(x, encs)) {
          expect(q).toBeGreaterThanOrEqual(encs.qmin);
          expect(q).toBeLessThanOrEqual(encs.qmax);
        }
        expect(Array.from(dequantize(quantize(x, encs), encs))).toEqual(Array.from(once));
      }),
    );
  });

  it('dequantize(quantize(x)) is within s/2 of x inside [min, max]', () => {
    fc.assert(
      fc.property(tensors, specs, range, (x, spec, r) => {
        const e = encodingFromRange(r, spec);
        for (const v of x) {
          if (v < e.min || v > e.max) continue;
          const err = Math.abs(dequantizeValue(quantizeValue(v, e), e) - v);
          // float32 products add a few ulps of |v| on top of the s/2 rounding bound
          expect(err).toBeLessThanOrEqual(e.scale / 2 + 4 * 2 ** -23 * Math.abs(v) + 1e-12);
        }
      }),
    );
  });

  it('squaredError equals Σ(x - fakeQuant(x))²', () => {
    fc.assert(
      fc.property(tensors, specs, range, (x, spec, r) => {
        const encs = encodingsFromRanges([r], spec);
        const e = encodingFromRange(r, spec);
        expect(squaredError(x, e)).toBe(sumSquaredDiff(x, fakeQuant(x, encs)));
      }),
    );
  });
});
