import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IntAccumulator,
  STATS_WIDTH,
  accRange,
  bitsNeeded,
  convAxis,
  multiplyByQuantizedMultiplier,
  quantizeMultiplier,
  referenceAccumulate,
  referenceConv,
  requantizeFixedPoint,
  requantizeFloat,
  roundingDivideByPOT,
  saturateBits,
  saturatingRoundingDoublingHighMul,
  summarizeAccStats,
  wrapBits,
  writeStats,
  type Overflow,
} from './intArith';

const MIN = -2147483648;
const MAX = 2147483647;
const int32 = fc.integer({ min: MIN, max: MAX });
const bitsArb = fc.integer({ min: 1, max: 32 });
const modeArb = fc.constantFrom<Overflow>('wrap', 'saturate');
/** Products of 16-bit codes and biases: the magnitudes the kernels accept. */
const productArb = fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 });

function run(bias: number, products: number[], bits: number, mode: Overflow): IntAccumulator {
  const a = new IntAccumulator(bits, mode);
  a.load(bias);
  for (const p of products) a.add(p);
  return a;
}

/** gemmlowp fixedpoint.h transcribed with BigInt (C++ `/` truncates toward 0, as BigInt's). */
function srdhmBig(a: number, b: number): number {
  if (a === b && a === MIN) return MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number(BigInt.asIntN(32, (ab + nudge) / (1n << 31n)));
}
function rdbpBig(x: number, e: number): number {
  const mask = (1n << BigInt(e)) - 1n;
  const big = BigInt(x);
  const threshold = (mask >> 1n) + (big < 0n ? 1n : 0n);
  return Number((big >> BigInt(e)) + ((big & mask) > threshold ? 1n : 0n));
}

describe('wrap, saturate, bitsNeeded', () => {
  it('wraps and saturates hand-worked values', () => {
    // 32768 = 2^15 → 2^15 − 2^16 = −32768; −32769 + 65536 = 32767; 70000 − 65536 = 4464
    expect([32768, -32769, 70000].map((x) => wrapBits(x, 16))).toEqual([-32768, 32767, 4464]);
    expect(wrapBits(200, 8)).toBe(-56); // 200 − 256
    expect(wrapBits(2 ** 31, 32)).toBe(MIN);
    expect(wrapBits(2 ** 32 + 5, 32)).toBe(5);
    expect(wrapBits(2 ** 40 + 3, 12)).toBe(3); // 2^12 divides 2^40
    expect([200, -200, 5].map((x) => saturateBits(x, 8))).toEqual([127, -128, 5]);
    expect(accRange(32)).toEqual([MIN, MAX]);
    expect(() => accRange(33)).toThrow(/accumulator bits = 33/);
  });

  it('bitsNeeded is exact at powers of two', () => {
    expect([0, -1, 1, -2, 127, 128, -128, -129].map(bitsNeeded)).toEqual([1, 1, 2, 2, 8, 9, 8, 9]);
    for (let k = 0; k <= 51; k++) {
      // 2^k − 1 needs k + 1 bits, 2^k needs k + 2; −2^k needs k + 1, −2^k − 1 needs k + 2.
      expect(bitsNeeded(2 ** k - 1)).toBe(k + 1);
      expect(bitsNeeded(2 ** k)).toBe(k + 2);
      expect(bitsNeeded(-(2 ** k))).toBe(k + 1);
      expect(bitsNeeded(-(2 ** k) - 1)).toBe(k + 2);
    }
  });

  it('bitsNeeded is monotone in |v| on each side of 0 and fits v', () => {
    const v = fc.integer({ min: -(2 ** 52), max: 2 ** 52 });
    fc.assert(
      fc.property(v, v, (a, b) => {
        const [lo, hi] = [Math.min(Math.abs(a), Math.abs(b)), Math.max(Math.abs(a), Math.abs(b))];
        expect(bitsNeeded(lo)).toBeLessThanOrEqual(bitsNeeded(hi));
        expect(bitsNeeded(-lo)).toBeLessThanOrEqual(bitsNeeded(-hi));
        const n = bitsNeeded(a);
        expect(a >= -(2 ** (n - 1)) && a <= 2 ** (n - 1) - 1).toBe(true);
        if (n > 1) expect(a >= -(2 ** (n - 2)) && a <= 2 ** (n - 2) - 1).toBe(false);
      }),
    );
  });
});

describe('accumulation', () => {
  it('works a hand example in both modes (order matters for saturate)', () => {
    // bias 100, products 20, 10, −50 in 8 bits ([−128, 127]); exact partial sums 100, 120, 130, 80.
    // wrap: 120 → 130 − 256 = −126 (event) → −176 + 256 = 80 (event): equals the exact 80.
    const w = run(100, [20, 10, -50], 8, 'wrap');
    expect([w.reg, w.exact, w.min, w.max, w.events]).toEqual([80, 80, 80, 130, 2]);
    // saturate: 120 → 130 clips to 127 (event) → 77: not the exact 80.
    const s = run(100, [20, 10, -50], 8, 'saturate');
    expect([s.reg, s.events]).toEqual([77, 1]);
    // The same products in another order never clip: 100 − 50 + 20 + 10 = 80.
    expect(run(100, [-50, 20, 10], 8, 'saturate').reg).toBe(80);
    // A bias that does not fit is an event of the load.
    expect([run(300, [], 8, 'saturate').reg, run(300, [], 8, 'saturate').events]).toEqual([127, 1]);
    expect(bitsNeeded(130)).toBe(9);
  });

  it('IntAccumulator agrees with the BigInt oracle', () => {
    fc.assert(
      fc.property(
        productArb,
        fc.array(productArb, { maxLength: 40 }),
        bitsArb,
        modeArb,
        (b, ps, n, m) => {
          const a = run(b, ps, n, m);
          const r = referenceAccumulate(b, ps, n, m);
          expect([a.reg, a.min, a.max, a.events]).toEqual([r.acc, r.min, r.max, r.events]);
        },
      ),
    );
  });

  it('wrap(n) of the exact sum equals sequential wrapping', () => {
    fc.assert(
      fc.property(productArb, fc.array(productArb, { maxLength: 60 }), bitsArb, (b, ps, n) => {
        const exact = ps.reduce((s, p) => s + p, b);
        expect(run(b, ps, n, 'wrap').reg).toBe(wrapBits(exact, n));
      }),
    );
  });

  it('never leaves the range; no events iff bitsNeeded of every partial sum ≤ n', () => {
    const arb = fc.array(productArb, { maxLength: 40 });
    fc.assert(
      fc.property(productArb, arb, bitsArb, modeArb, (b, ps, n, mode) => {
        const [lo, hi] = accRange(n);
        const a = new IntAccumulator(n, mode);
        a.load(b);
        for (const p of ps) {
          a.add(p);
          expect(a.reg >= lo && a.reg <= hi).toBe(true);
        }
        const fits = Math.max(bitsNeeded(a.min), bitsNeeded(a.max)) <= n;
        expect(a.min >= lo && a.max <= hi).toBe(fits);
        expect(a.events === 0).toBe(fits);
        if (fits) expect(a.reg).toBe(a.exact);
      }),
    );
  });

  it('stats round-trip through int32 words, beyond 32 bits too', () => {
    const stats = new Int32Array(2 * STATS_WIDTH);
    writeStats(stats, 0, { min: -(2 ** 40) - 7, max: 2 ** 33 + 1, events: 3 });
    writeStats(stats, STATS_WIDTH, { min: -5, max: 2 ** 31, events: 0 });
    const s = summarizeAccStats(stats, 9);
    expect(s).toEqual({
      outputs: 2,
      steps: 10,
      maxAbs: 2 ** 40 + 7,
      bitsNeeded: 42, // −2^40 − 7 needs 42 bits (−2^41 ≤ v < −2^40)
      events: 3,
      outputsWithEvents: 1,
    });
  });
});

describe('requantization (gemmlowp / TFLite)', () => {
  it('quantizes multipliers as TFLite QuantizeMultiplier', () => {
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 }); // 0.75·2^31
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 }); // 0.5·2^1
    expect(quantizeMultiplier(3)).toEqual({ multiplier: 1610612736, shift: 2 }); // 0.75·2^2
    // 0.1 = 0.8·2^−3; 0.8·2^31 = 1717986918.4 → 1717986918
    expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 });
    // 1 − 2^−33: q·2^31 = 2^31 − 0.25 rounds to 2^31, which becomes 2^30 with shift + 1
    expect(quantizeMultiplier(1 - 2 ** -33)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(2 ** -40)).toEqual({ multiplier: 0, shift: 0 }); // flushed
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(() => quantizeMultiplier(-1)).toThrow(/real multiplier = -1/);
  });

  it('RoundingDivideByPOT rounds half away from zero', () => {
    // 5/2 = 2.5 → 3; −5/2 → −3; 7/4 = 1.75 → 2; 6/4 = 1.5 → 2; −6/4 → −2; −7/4 → −2
    const cases: [number, number, number][] = [
      [5, 1, 3],
      [-5, 1, -3],
      [7, 2, 2],
      [6, 2, 2],
      [-6, 2, -2],
      [-7, 2, -2],
      [MAX, 31, 1],
      [MIN, 31, -1],
      [-42, 0, -42],
    ];
    for (const [x, e, y] of cases) expect(roundingDivideByPOT(x, e)).toBe(y);
    fc.assert(
      fc.property(int32, fc.integer({ min: 0, max: 31 }), (x, e) => {
        expect(roundingDivideByPOT(x, e)).toBe(rdbpBig(x, e));
      }),
    );
  });

  it('SaturatingRoundingDoublingHighMul matches gemmlowp exactly', () => {
    expect(saturatingRoundingDoublingHighMul(MIN, MIN)).toBe(MAX);
    // 1000 · 1717986918 / 2^31 = 799.99999963 → 800
    expect(saturatingRoundingDoublingHighMul(1000, 1717986918)).toBe(800);
    // 3 · 2^30 / 2^31 = 1.5 → 2, but −1.5 → −1: (−3·2^30 + 1 − 2^30) / 2^31 = −1.99…,
    // truncated toward 0. Ties go up (toward +∞), unlike RoundingDivideByPOT.
    expect(saturatingRoundingDoublingHighMul(3, 2 ** 30)).toBe(2);
    expect(saturatingRoundingDoublingHighMul(-3, 2 ** 30)).toBe(-1);
    const edge = fc.constantFrom(MIN, MIN + 1, -1, 0, 1, MAX, MAX - 1, 2 ** 30, -(2 ** 30));
    fc.assert(
      fc.property(fc.oneof(int32, edge), fc.oneof(int32, edge), (a, b) => {
        expect(saturatingRoundingDoublingHighMul(a, b)).toBe(srdhmBig(a, b));
      }),
      { numRuns: 2000 },
    );
  });

  it('works a full fixed-point requantization by hand', () => {
    // M = 0.1 → (1717986918, −3): SRDHM(1000, ·) = 800, then 800 / 2^3 = 100 = 1000 · 0.1
    const q = quantizeMultiplier(0.1);
    expect(multiplyByQuantizedMultiplier(1000, q)).toBe(100);
    expect(requantizeFixedPoint(1000, q, { zeroPoint: 10, qmin: -128, qmax: 127 })).toBe(110);
    expect(requantizeFixedPoint(1000, q, { zeroPoint: 30, qmin: -128, qmax: 127 })).toBe(127);
    // M = 3 (shift 2): the left shift saturates, so a huge acc clamps instead of wrapping.
    expect(multiplyByQuantizedMultiplier(2 ** 30, quantizeMultiplier(3))).toBe(
      saturatingRoundingDoublingHighMul(MAX, 1610612736),
    );
  });

  it('float requantization rounds float32 products ties-to-even', () => {
    const g = { zeroPoint: 0, qmin: -128, qmax: 127 };
    // 5·0.5 = 2.5 → 2; 7·0.5 = 3.5 → 4; −5·0.5 → −2; 1000·0.1 → 100
    expect([5, 7, -5, 1000].map((a) => requantizeFloat(a, a === 1000 ? 0.1 : 0.5, g))).toEqual([
      2, 4, -2, 100,
    ]);
    // f32(16777217) = 16777216: float32 loses the last bit before the multiply.
    expect(requantizeFloat(16777217, 1, { zeroPoint: 0, qmin: MIN, qmax: MAX })).toBe(16777216);
    expect(requantizeFloat(-300, 1, { zeroPoint: 100, qmin: 0, qmax: 255 })).toBe(0);
  });

  it('fixed-point requantization is within 1 of float (and of exact) requantization', () => {
    // |acc·M| ≤ 2^22 keeps float32's own error (half an ulp) ≤ 1/4; no clamping happens.
    // Fixed point rounds twice (SRDHM, then RoundingDivideByPOT), so it is within 3/4 of exact.
    const wide = { zeroPoint: 3, qmin: -(2 ** 24), qmax: 2 ** 24 };
    const acc = fc.integer({ min: -(2 ** 20), max: 2 ** 20 });
    const m = fc.double({ min: 2 ** -24, max: 4, noNaN: true });
    fc.assert(
      fc.property(acc, m, (a, mm) => {
        const fixed = requantizeFixedPoint(a, quantizeMultiplier(mm), wide);
        expect(Math.abs(fixed - requantizeFloat(a, mm, wide))).toBeLessThanOrEqual(1);
        expect(Math.abs(fixed - 3 - a * mm)).toBeLessThanOrEqual(0.75 + 1e-6);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('reference conv', () => {
  it('has TF geometry', () => {
    expect(convAxis(5, 3, 2, 1, 'same')).toEqual({ out: 3, pad: 1 }); // total (3−1)·2 + 3 − 5 = 2
    expect(convAxis(6, 3, 2, 1, 'same')).toEqual({ out: 3, pad: 0 }); // total 1: 0 before, 1 after
    expect(convAxis(5, 3, 2, 1, 'valid')).toEqual({ out: 2, pad: 0 });
    expect(convAxis(7, 3, 1, 2, 'valid')).toEqual({ out: 3, pad: 0 }); // dilated extent 5
  });

  it('works a 3x3 same conv by hand, with zero point and bias', () => {
    // x = 1..9 on a 3×3 grid, z_x = 1 so the values are 0..8; all-ones filter with z_w = 0.
    // Centre: 0+1+...+8 = 36; top-left corner: 0+1+3+4 = 8 (padding is real 0); bias 5.
    const r = referenceConv({
      x: Int32Array.from({ length: 9 }, (_, i) => i + 1),
      xShape: [1, 3, 3, 1],
      xZeroPoint: 1,
      w: new Int32Array(9).fill(1),
      wShape: [3, 3, 1, 1],
      wZeroPoint: new Int32Array(1),
      bias: Int32Array.of(5),
      depthwise: false,
      strides: [1, 1],
      dilations: [1, 1],
      padding: 'same',
      order: 'hwc',
      bits: 32,
      overflow: 'wrap',
    });
    expect(r.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(r.acc)).toEqual([13, 20, 17, 26, 41, 32, 25, 38, 29]);
  });
});
