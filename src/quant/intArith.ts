/**
 * Exact integer arithmetic of a quantized layer on a MAC array (white paper Sec. 2.1, Eq. 1-3;
 * shared/paper.md §1.1): integer products summed into an accumulator of a chosen width that
 * wraps or saturates, per-output accumulator statistics, and requantization to the next layer's
 * grid (gemmlowp/TFLite fixed point, or float32). Semantics: docs/integer-kernels.md.
 * Every value is an integer held exactly in a JS number (|v| < 2^53); nothing here rounds
 * except where float32 semantics are asked for (requantizeFloat).
 */
import { quantError } from './errors';
import { roundHalfAway, roundHalfEven } from './rounding';

/** What an n-bit accumulator does with a sum outside its range. */
export type Overflow = 'wrap' | 'saturate';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const TWO_32 = 4294967296;

/**
 * Largest |x − z_x| and |w − z_w| the kernels accept: their product then fits an int32
 * (65535 · 32768 < 2^31), which the WebGPU kernels need; 16-bit codes (quant/grid.ts) fit.
 */
export const MAX_ABS_X = 65535;
export const MAX_ABS_W = 32768;

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 32)
    throw quantError('OPTION', {
      name: 'accumulator bits',
      value: bits,
      expected: 'an integer from 1 to 32',
    });
}

/** [−2^(n−1), 2^(n−1) − 1], the range of an n-bit two's-complement register. */
export function accRange(bits: number): [number, number] {
  checkBits(bits);
  const h = 2 ** (bits - 1);
  return [-h, h - 1];
}

/**
 * n-bit two's-complement wrap, exact for any integer |x| < 2^53: `<<` first takes x mod 2^32
 * (ECMA-262 ToInt32) and 2^n divides 2^32, so this is x mod 2^n moved into the signed range.
 * @example wrapBits(32768, 16) === -32768; wrapBits(70000, 16) === 4464 (= 70000 − 65536)
 */
export function wrapBits(x: number, bits: number): number {
  const s = 32 - bits;
  return (x << s) >> s;
}

/** clamp(x, −2^(n−1), 2^(n−1) − 1). @example saturateBits(200, 8) === 127 */
export function saturateBits(x: number, bits: number): number {
  const [lo, hi] = accRange(bits);
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * The smallest signed width n ≥ 1 with −2^(n−1) ≤ v ≤ 2^(n−1) − 1 (integer |v| < 2^53). v and
 * −v − 1 need the same width, so count the significant bits L of m = v ≥ 0 ? v : −v − 1: n = L + 1.
 * @example bitsNeeded(127) === 8; bitsNeeded(128) === 9; bitsNeeded(-128) === 8; bitsNeeded(0) === 1
 */
export function bitsNeeded(v: number): number {
  const m = v >= 0 ? v : -v - 1;
  if (m < TWO_32) return 33 - Math.clz32(m);
  return 65 - Math.clz32(Math.floor(m / TWO_32));
}

/**
 * One accumulator, stepped in the documented order (the CPU kernels' hot loop). `reg` is the
 * n-bit register; `exact` the true sum (exact while |sum| < 2^53); `min`/`max` the extreme exact
 * partial sums, bias included; `events` counts the steps (the bias load included) whose exact
 * result did not fit n bits: a wrap-around (wrap) or a clip (saturate).
 */
export class IntAccumulator {
  reg = 0;
  exact = 0;
  min = 0;
  max = 0;
  events = 0;
  private readonly lo: number;
  private readonly hi: number;
  private readonly shift: number;
  private readonly wrap: boolean;

  constructor(bits: number, overflow: Overflow) {
    [this.lo, this.hi] = accRange(bits);
    this.shift = 32 - bits;
    this.wrap = overflow === 'wrap';
  }

  /** Loads the bias: "the accumulators are loaded with the bias" (paper Eq. 1). */
  load(bias: number): void {
    this.exact = this.min = this.max = bias;
    this.events = 0;
    this.reg = this.fit(bias);
  }

  /** reg ← fit(reg + p): the product enters the adder at full width, the sum is fitted. */
  add(p: number): void {
    const e = this.exact + p;
    this.exact = e;
    if (e < this.min) this.min = e;
    else if (e > this.max) this.max = e;
    this.reg = this.fit(this.reg + p);
  }

  private fit(s: number): number {
    if (s >= this.lo && s <= this.hi) return s;
    this.events++;
    if (this.wrap) return (s << this.shift) >> this.shift;
    return s < this.lo ? this.lo : this.hi;
  }
}

/** What one output's accumulation produced. */
export interface AccOutcome {
  acc: number;
  min: number;
  max: number;
  events: number;
}

/**
 * The same accumulation written independently with BigInt (`BigInt.asIntN` is the textbook
 * two's-complement wrap): the oracle of tests and of the conformance expectations.
 * @example referenceAccumulate(100, [20, 10], 8, 'wrap').acc === -126 (130 → 130 − 256)
 */
export function referenceAccumulate(
  bias: number,
  products: readonly number[],
  bits: number,
  overflow: Overflow,
): AccOutcome {
  checkBits(bits);
  const hi = (1n << BigInt(bits - 1)) - 1n;
  const lo = -hi - 1n;
  const fit = (s: bigint): bigint =>
    overflow === 'wrap' ? BigInt.asIntN(bits, s) : s < lo ? lo : s > hi ? hi : s;
  let exact = BigInt(bias);
  let min = exact;
  let max = exact;
  let reg = fit(exact);
  let events = reg === exact ? 0 : 1;
  for (const p of products) {
    exact += BigInt(p);
    if (exact < min) min = exact;
    if (exact > max) max = exact;
    const s = reg + BigInt(p);
    reg = fit(s);
    if (reg !== s) events++;
  }
  return { acc: Number(reg), min: Number(min), max: Number(max), events };
}

/**
 * Per-output statistics as int32 words (what the kernels emit): the smallest and the largest
 * exact partial sum as 64-bit two's complement (hi word, lo word), and the event count.
 */
export const STATS_WIDTH = 5;
export const STAT = { minHi: 0, minLo: 1, maxHi: 2, maxLo: 3, events: 4 } as const;

/** Writes one output's statistics at `offset` (lo words keep their bits: `| 0`). */
export function writeStats(out: Int32Array, offset: number, a: Omit<AccOutcome, 'acc'>): void {
  const minHi = Math.floor(a.min / TWO_32);
  const maxHi = Math.floor(a.max / TWO_32);
  out[offset + STAT.minHi] = minHi;
  out[offset + STAT.minLo] = (a.min - minHi * TWO_32) | 0;
  out[offset + STAT.maxHi] = maxHi;
  out[offset + STAT.maxLo] = (a.max - maxHi * TWO_32) | 0;
  out[offset + STAT.events] = a.events;
}

/** Per-layer summary of a stats tensor; merge batches with mergeAccStats. */
export interface AccStatsSummary {
  outputs: number;
  /** Steps per output: K products plus the bias load. */
  steps: number;
  /** max over outputs and partial sums of |exact partial sum|. */
  maxAbs: number;
  /** Smallest signed width holding every exact partial sum (bitsNeeded of the extremes). */
  bitsNeeded: number;
  /** Steps that wrapped or clipped, in all outputs. */
  events: number;
  /** Outputs with at least one event. */
  outputsWithEvents: number;
}

/** Reads a stats tensor ([..., STATS_WIDTH] int32) into a summary; K = products per output. */
export function summarizeAccStats(stats: Int32Array, k: number): AccStatsSummary {
  const s: AccStatsSummary = {
    outputs: stats.length / STATS_WIDTH,
    steps: k + 1,
    maxAbs: 0,
    bitsNeeded: 1,
    events: 0,
    outputsWithEvents: 0,
  };
  // Once per output of a layer (millions per batch): no closure, indices inline.
  for (let o = 0; o < stats.length; o += STATS_WIDTH) {
    const min = (stats[o + STAT.minHi] ?? 0) * TWO_32 + ((stats[o + STAT.minLo] ?? 0) >>> 0);
    const max = (stats[o + STAT.maxHi] ?? 0) * TWO_32 + ((stats[o + STAT.maxLo] ?? 0) >>> 0);
    s.maxAbs = Math.max(s.maxAbs, -min, max);
    s.bitsNeeded = Math.max(s.bitsNeeded, bitsNeeded(min), bitsNeeded(max));
    const events = stats[o + STAT.events] ?? 0;
    s.events += events;
    if (events > 0) s.outputsWithEvents++;
  }
  return s;
}

/** Combines two summaries of the same layer (e.g. two batches). */
export function mergeAccStats(a: AccStatsSummary, b: AccStatsSummary): AccStatsSummary {
  return {
    outputs: a.outputs + b.outputs,
    steps: Math.max(a.steps, b.steps),
    maxAbs: Math.max(a.maxAbs, b.maxAbs),
    bitsNeeded: Math.max(a.bitsNeeded, b.bitsNeeded),
    events: a.events + b.events,
    outputsWithEvents: a.outputsWithEvents + b.outputsWithEvents,
  };
}

// ---- Requantization (paper Sec. 2.1, Fig. 2: INT32 → requantization → INT8) ----------------

/** M ≈ multiplier · 2^(shift − 31): an int32 Q31 mantissa in [2^30, 2^31) (or 0) and a shift. */
export interface QuantizedMultiplier {
  multiplier: number;
  shift: number;
}

/** Largest real multiplier accepted: keeps shift ≤ 31, a valid shift count everywhere. */
export const MAX_REAL_MULTIPLIER = 2 ** 30;

/**
 * TFLite QuantizeMultiplier (kernels/internal/quantization_util.cc): frexp M = q·2^e with
 * q ∈ [0.5, 1); mantissa = round(q·2^31) ties away from zero (TfLiteRound); 2^31 → 2^30 with
 * e + 1; e < −31 flushes to (0, 0) (all bits would be shifted out).
 * @example quantizeMultiplier(0.75) → {multiplier: 1610612736 (0.75·2^31), shift: 0}
 */
export function quantizeMultiplier(m: number): QuantizedMultiplier {
  if (!(Number.isFinite(m) && m >= 0 && m <= MAX_REAL_MULTIPLIER))
    throw quantError('OPTION', {
      name: 'real multiplier',
      value: m,
      expected: `a finite number in [0, 2^30]`,
    });
  if (m === 0) return { multiplier: 0, shift: 0 };
  let e = Math.floor(Math.log2(m)) + 1;
  while (m / 2 ** e >= 1) e++; // log2 may be off by one near powers of two
  while (m / 2 ** e < 0.5) e--;
  let q = roundHalfAway((m / 2 ** e) * 2 ** 31);
  if (q === 2 ** 31) {
    q /= 2;
    e++;
  }
  return e < -31 ? { multiplier: 0, shift: 0 } : { multiplier: q, shift: e };
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul (fixedpoint.h; ARM VQRDMULH): (a·b + nudge) / 2^31
 * truncated toward 0, nudge = 2^30 if a·b ≥ 0 else 1 − 2^30; MIN·MIN saturates to MAX. a·b
 * needs 62 bits, so it is split: |b| = bh·2^16 + bl, |a|·bh = A1·2^15 + A0, and then
 * |a·b| = A1·2^31 + A0·2^16 + |a|·bl, every partial product < 2^48 (exact in a double).
 * With m = |a·b| the truncated quotient is ±⌊(m + 2^30 − [a·b < 0]) / 2^31⌋.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const neg = a < 0 !== b < 0;
  const ua = Math.abs(a);
  const ub = Math.abs(b);
  const bh = Math.floor(ub / 65536);
  const bigA = ua * bh;
  const a1 = Math.floor(bigA / 32768);
  const rest = (bigA - a1 * 32768) * 65536 + ua * (ub - bh * 65536);
  const q = a1 + Math.floor((rest + (neg ? 0x3fffffff : 0x40000000)) / 2147483648);
  return (neg ? -q : q) | 0;
}

/**
 * gemmlowp RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero (0 ≤ e ≤ 31).
 * @example roundingDivideByPOT(5, 1) === 3; roundingDivideByPOT(-5, 1) === -3; (7, 2) === 2
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  const mask = 2 ** exponent - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** clamp(x·2^e, INT32_MIN, INT32_MAX): gemmlowp's saturating left shift (e ≥ 0). */
export function saturatingLeftShift(x: number, exponent: number): number {
  const v = x * 2 ** exponent;
  return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : v;
}

/**
 * TFLite MultiplyByQuantizedMultiplier: RoundingDivideByPOT(SRDHM(x·2^ls, mantissa), rs) with
 * ls = max(shift, 0), rs = max(−shift, 0). TFLite multiplies x·2^ls in int32 (undefined on
 * overflow in C++); here the left shift saturates, as gemmlowp's SaturatingRoundingMultiplyByPOT.
 */
export function multiplyByQuantizedMultiplier(x: number, q: QuantizedMultiplier): number {
  const xs = q.shift > 0 ? saturatingLeftShift(x, q.shift) : x;
  return roundingDivideByPOT(
    saturatingRoundingDoublingHighMul(xs, q.multiplier),
    q.shift > 0 ? 0 : -q.shift,
  );
}

/** The next layer's grid: y = clamp(v + z_y, qmin, qmax). */
export interface OutputGrid {
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/** clamp(v, qmin − z, qmax − z) + z: clamp(v + z) without ever forming v + z out of range. */
function toGrid(v: number, g: OutputGrid): number {
  const lo = g.qmin - g.zeroPoint;
  const hi = g.qmax - g.zeroPoint;
  return (v < lo ? lo : v > hi ? hi : v) + g.zeroPoint;
}

/** Fixed-point requantization (gemmlowp/TFLite): clamp(MBQM(acc) + z_y, qmin, qmax). */
export function requantizeFixedPoint(acc: number, q: QuantizedMultiplier, g: OutputGrid): number {
  return toGrid(multiplyByQuantizedMultiplier(acc, q), g);
}

/**
 * Float requantization with float32 semantics: clamp(⌊f32(f32(acc)·f32(M))⌉ + z_y), ties to
 * even (a double product of two float32 values is exact, so fround gives IEEE float32 `*`).
 * @example requantizeFloat(5, 0.5, {zeroPoint: 0, qmin: -128, qmax: 127}) === 2 (2.5 → 2)
 */
export function requantizeFloat(acc: number, m: number, g: OutputGrid): number {
  const v = roundHalfEven(Math.fround(Math.fround(acc) * Math.fround(m)));
  return toGrid(v, g) | 0;
}

// ---- Reference layers: plain loops over referenceAccumulate, the conformance oracle ---------

export type Padding = 'same' | 'valid';
/** Summation order of a conv's K = kh·kw·cin products: kernel row, column, then channel
 * innermost ('hwc', the filter's memory order, im2col), or channel outermost ('chw'). */
export type SumOrder = 'hwc' | 'chw';

/**
 * TF's output size and leading padding along one axis (tf.nn.conv2d): 'valid' gives
 * ⌈(in − e + 1)/stride⌉ with e = (k − 1)·dilation + 1; 'same' gives ⌈in/stride⌉ and pads
 * max((out − 1)·stride + e − in, 0) in total, the smaller half first.
 */
export function convAxis(
  size: number,
  k: number,
  stride: number,
  dilation: number,
  padding: Padding,
): { out: number; pad: number } {
  const e = (k - 1) * dilation + 1;
  if (padding === 'valid') return { out: Math.max(0, Math.ceil((size - e + 1) / stride)), pad: 0 };
  const out = Math.ceil(size / stride);
  return { out, pad: Math.floor(Math.max((out - 1) * stride + e - size, 0) / 2) };
}

/** An integer conv (or, with 1×1 shapes, a dense layer): codes, zero points, bias, geometry. */
export interface IntConvProblem {
  /** NHWC activation codes and their (per-tensor) zero point. */
  x: Int32Array;
  xShape: readonly [number, number, number, number];
  xZeroPoint: number;
  /** [kh, kw, cin, cout], or [kh, kw, cin, mult] when depthwise; weight zero point per output. */
  w: Int32Array;
  wShape: readonly [number, number, number, number];
  wZeroPoint: Int32Array;
  bias: Int32Array;
  depthwise: boolean;
  strides: readonly [number, number];
  dilations: readonly [number, number];
  padding: Padding;
  order: SumOrder;
  bits: number;
  overflow: Overflow;
}

/** Accumulators [n, outH, outW, cout] and their stats [..., STATS_WIDTH], from the oracle. */
export function referenceConv(p: IntConvProblem): {
  shape: number[];
  acc: Int32Array;
  stats: Int32Array;
} {
  const [n, h, w, cin] = p.xShape;
  const [kh, kw, , cm] = p.wShape;
  const cout = p.depthwise ? cin * cm : cm;
  const ay = convAxis(h, kh, p.strides[0], p.dilations[0], p.padding);
  const ax = convAxis(w, kw, p.strides[1], p.dilations[1], p.padding);
  const shape = [n, ay.out, ax.out, cout];
  const acc = new Int32Array(n * ay.out * ax.out * cout);
  const stats = new Int32Array(acc.length * STATS_WIDTH);
  const at = (a: Int32Array, i: number): number => a[i] ?? NaN;
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let oy = 0; oy < ay.out; oy++)
      for (let ox = 0; ox < ax.out; ox++)
        for (let oc = 0; oc < cout; oc++, o++) {
          const channels = p.depthwise ? [Math.floor(oc / cm)] : [...Array(cin).keys()];
          const taps: [number, number, number][] = [];
          for (const c of p.order === 'chw' ? channels : [0])
            for (let r = 0; r < kh; r++)
              for (let s = 0; s < kw; s++)
                for (const cc of p.order === 'chw' ? [c] : channels) taps.push([r, s, cc]);
          const products = taps.map(([r, s, c]) => {
            const y = oy * p.strides[0] - ay.pad + r * p.dilations[0];
            const x = ox * p.strides[1] - ax.pad + s * p.dilations[1];
            // Zero padding is real 0, whose code is the zero point: the product is 0.
            const xv =
              y < 0 || y >= h || x < 0 || x >= w
                ? p.xZeroPoint
                : at(p.x, ((b * h + y) * w + x) * cin + c);
            const wi = p.depthwise
              ? ((r * kw + s) * cin + c) * cm + (oc % cm)
              : ((r * kw + s) * cin + c) * cout + oc;
            return (xv - p.xZeroPoint) * (at(p.w, wi) - at(p.wZeroPoint, oc));
          });
          const out = referenceAccumulate(at(p.bias, oc), products, p.bits, p.overflow);
          acc[o] = out.acc;
          writeStats(stats, o * STATS_WIDTH, out);
        }
  return { shape, acc, stats };
}
