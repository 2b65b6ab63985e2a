import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeQuant } from './affine';
import {
  adaroundGrid,
  betaAt,
  hardCodes,
  initialV,
  rectifiedSigmoid,
  roundingRegularizer,
  softWeight,
} from './adaround';
import { encodingsFromRanges } from './encodings';

const f32 = Math.fround;

describe('AdaRound pure math: worked values', () => {
  it('rectified sigmoid h(V) = clip(σ(V)·1.2 − 0.1, 0, 1)', () => {
    expect(rectifiedSigmoid(0)).toBeCloseTo(0.5, 12); // 0.5·1.2 − 0.1
    // σ(ln 3) = 0.75 -> 0.75·1.2 − 0.1 = 0.8
    expect(rectifiedSigmoid(Math.log(3))).toBeCloseTo(0.8, 12);
    // σ(−ln 11) = 1/12 -> 0.1 − 0.1 = 0: the lower end is reached at a finite V
    expect(rectifiedSigmoid(-Math.log(11))).toBeCloseTo(0, 12);
    expect(rectifiedSigmoid(-5)).toBe(0);
    expect(rectifiedSigmoid(5)).toBe(1);
  });

  it('initialV inverts h on [0, 1): h(V0) = rest (AIMET init)', () => {
    // rest 0.25: V0 = −ln(1.2/0.35 − 1) = −ln(2.428571) = −0.887303
    expect(initialV(0.25)).toBeCloseTo(-0.887303, 6);
    expect(initialV(0.5)).toBeCloseTo(0, 12);
    expect(initialV(0)).toBeCloseTo(-Math.log(11), 12);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.999999, noNaN: true }), (r) => {
        expect(rectifiedSigmoid(initialV(r))).toBeCloseTo(r, 9);
      }),
    );
  });

  it('regularizer f_reg = Σ 1 − |2h − 1|^β (Eq. 34)', () => {
    // h = 0, 0.5, 1, 0.75 at β = 2: 0 + 1 + 0 + (1 − 0.5²) = 1.75
    expect(roundingRegularizer([0, 0.5, 1, 0.75], 2)).toBeCloseTo(1.75, 12);
    // β = 20: h = 0.75 gives 1 − 0.5^20 ≈ 1 (flat: no pressure early on)
    expect(roundingRegularizer([0.75], 20)).toBeCloseTo(1 - 2 ** -20, 12);
  });

  it('β schedule: zero rounding loss for the first 20%, then cosine 20 -> 2', () => {
    expect(betaAt(0, 100)).toEqual({ beta: 20, active: false });
    expect(betaAt(19, 100).active).toBe(false);
    expect(betaAt(20, 100)).toEqual({ beta: 20, active: true }); // t = 0
    expect(betaAt(60, 100).beta).toBeCloseTo(11, 12); // t = 0.5: 2 + 9·(1 + 0)
    expect(betaAt(100, 100).beta).toBeCloseTo(2, 12); // t = 1
    // t = 0.25 at it = 40: 2 + 9·(1 + cos(π/4)) = 17.3640
    expect(betaAt(40, 100).beta).toBeCloseTo(2 + 9 * (1 + Math.SQRT1_2), 12);
    expect(betaAt(5, 10, { betaRange: [10, 4], warmStart: 0 }).beta).toBeCloseTo(7, 12);
  });

  it('grid split, soft weight and hard codes on an asymmetric per-channel grid', () => {
    // Channel 0: [-1, 3] at 3 bits unsigned -> s = 4/7, z = round(7/4) = 2.
    // Channel 1: [0, 1.4] at 3 bits -> s = 0.2, z = 0.
    const enc = encodingsFromRanges(
      [
        { min: -1, max: 3 },
        { min: 0, max: 1.4 },
      ],
      { bits: 3, scheme: 'asymmetric' },
      { channels: 2, inner: 1 },
    );
    expect(Array.from(enc.zeroPoint)).toEqual([2, 0]);
    const w = Float32Array.of(1, 0.7, -0.9, 1.39);
    const g = adaroundGrid(w, enc);
    // 1/(4/7) = 1.75: w/s = 1.75 -> ⌊⌋ 1 + z 2 = 3, rest 0.75; −0.9·1.75 = −1.575 -> −2 + 2 = 0, rest 0.425
    // 0.7/0.2 = 3.5 -> 3, rest 0.5; 1.39/0.2 = 6.95 -> 6, rest 0.95
    expect(Array.from(g.base)).toEqual([3, 3, 0, 6]);
    expect(g.rest[0]).toBeCloseTo(0.75, 6);
    expect(g.rest[1]).toBeCloseTo(0.5, 5);
    expect(g.rest[2]).toBeCloseTo(0.425, 6);
    expect(g.rest[3]).toBeCloseTo(0.95, 5);
    // At h = rest the soft weight is w itself (inside the grid).
    for (let i = 0; i < 4; i++)
      expect(softWeight(g, i, g.rest[i] as number)).toBeCloseTo(w[i] as number, 6);
    // Clamping: base 6 + h 1.5 would be code 7.5 > qmax 7 -> 7·0.2.
    expect(softWeight(g, 3, 1.5)).toBeCloseTo(1.4, 6);
    expect(Array.from(hardCodes(g, [0.2, 0.5, 0.49, 1]))).toEqual([3, 4, 0, 7]);
    // h = rest rounded at 0.5 is round-half-up, which equals nearest except at ties.
    const nearest = fakeQuant(w, enc);
    const hard = hardCodes(g, g.rest);
    expect(
      Array.from(hard, (q, i) => f32((q - (g.zeroPoint[i] as number)) * (g.scale[i] as number))),
    ).toEqual([nearest[0], f32(4 * 0.2), nearest[2], nearest[3]]); // 3.5 ties to even 4 too
  });

  it('⌊w/s⌋ and ⌊w/s⌋ + 1 bracket the nearest code (property)', () => {
    const enc = encodingsFromRanges([{ min: -1.3, max: 1.3 }], { bits: 4, scheme: 'symmetric' });
    fc.assert(
      fc.property(fc.float({ min: f32(-1.3), max: f32(1.3), noNaN: true }), (x) => {
        const w = Float32Array.of(x);
        const g = adaroundGrid(w, enc);
        const q = Math.round((fakeQuant(w, enc)[0] as number) / (enc.scale[0] as number));
        const lo = Math.max(enc.qmin, g.base[0] as number);
        const hi = Math.min(enc.qmax, (g.base[0] as number) + 1);
        expect(q === lo || q === hi).toBe(true);
      }),
    );
  });
});
