/**
 * The integer kernels' conformance suite, written once and run on whichever backend is current
 * (tfjs describeWithFlags idea): seeded random int8/uint8 codes on small shapes, every case at
 * accumulator widths {8, 12, 16, 20, 24, 32} × {wrap, saturate}, plus requantization. Expected
 * values come from the plain loops and BigInt oracle of quant/intArith.ts (referenceConv,
 * referenceAccumulate), not from the kernels; results are compared bit for bit, statistics
 * included. Results are read with `await t.data()` (never dataSync: it breaks WebGPU).
 */
import * as tf from '@tensorflow/tfjs';
import {
  quantizeMultiplier,
  referenceConv,
  requantizeFixedPoint,
  requantizeFloat,
  type Overflow,
} from '@/quant/intArith';
import { mulberry32, randInt, type Rng } from '@/quant/random';
import {
  qIntConv2D,
  qIntDense,
  qIntDepthwiseConv2D,
  qIntRequantize,
  type IntConvOptions,
  type RequantizeOptions,
} from '../ops/intOps';

export const ACC_WIDTHS: readonly number[] = [8, 12, 16, 20, 24, 32];
export const OVERFLOWS: readonly Overflow[] = ['wrap', 'saturate'];
/** An inclusive integer range [lo, hi]. */
type Range = [number, number];

export interface ConformanceResult {
  name: string;
  ok: boolean;
  /** Differing words over all outputs compared (acc, stats or requantized codes). */
  mismatches: number;
  firstMismatch?: { output: string; index: number; expected: number; actual: number };
  /** Set when the op threw instead of returning. */
  error?: string;
}

type Kind = 'dense' | 'conv' | 'depthwise';

/** One layer of the suite; the width and overflow mode come from the sweep. */
export interface LayerCase {
  name: string;
  kind: Kind;
  xShape: [number, number, number, number];
  wShape: [number, number, number, number];
  x: Range;
  xZeroPoint: Range;
  /** Weight code range per output channel (index mod length). */
  w: Range[];
  wZeroPoint: Range;
  bias: Range[];
  strides?: number;
  dilations?: number;
  padding?: 'same' | 'valid';
  order?: 'hwc' | 'chw';
}

/** Seeded inputs of a layer case. */
export interface LayerData {
  x: Int32Array;
  w: Int32Array;
  xZeroPoint: number;
  wZeroPoint: Int32Array;
  bias: Int32Array;
}

const draw = (rng: Rng, [lo, hi]: Range): number => lo + randInt(rng, hi - lo + 1);

export function layerData(c: LayerCase, seed: number): LayerData {
  const rng = mulberry32(seed);
  const outC = c.kind === 'depthwise' ? c.wShape[2] * c.wShape[3] : c.wShape[3];
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  return {
    x: Int32Array.from({ length: size(c.xShape) }, () => draw(rng, c.x)),
    // Weight memory order is [.., outC] last, so element i belongs to channel i mod outC.
    w: Int32Array.from({ length: size(c.wShape) }, (_, i) => {
      return draw(rng, c.w[(i % outC) % c.w.length] ?? [0, 0]);
    }),
    xZeroPoint: draw(rng, c.xZeroPoint),
    wZeroPoint: Int32Array.from({ length: outC }, () => draw(rng, c.wZeroPoint)),
    bias: Int32Array.from({ length: outC }, (_, i) =>
      draw(rng, c.bias[i % c.bias.length] ?? [0, 0]),
    ),
  };
}

/** The oracle's accumulators and stats for one case at one width and mode. */
export function expectedLayer(c: LayerCase, d: LayerData, bits: number, overflow: Overflow) {
  const dense = c.kind === 'dense';
  return referenceConv({
    ...d,
    xShape: c.xShape,
    wShape: c.wShape,
    depthwise: c.kind === 'depthwise',
    strides: [c.strides ?? 1, c.strides ?? 1],
    dilations: [c.dilations ?? 1, c.dilations ?? 1],
    padding: dense ? 'valid' : (c.padding ?? 'valid'),
    order: c.order ?? 'hwc',
    bits,
    overflow,
  });
}

/** Runs the case's op on the current backend; the caller disposes the result. */
export function runLayer(c: LayerCase, d: LayerData, bits: number, overflow: Overflow) {
  return tf.tidy(() => {
    const [n, h, w, cin] = c.xShape;
    const opts: IntConvOptions = {
      bias: tf.tensor1d(d.bias, 'int32'),
      wZeroPoint: tf.tensor1d(d.wZeroPoint, 'int32'),
      xZeroPoint: d.xZeroPoint,
      accBits: bits,
      overflow,
      strides: c.strides ?? 1,
      dilations: c.dilations ?? 1,
      padding: c.padding ?? 'valid',
    };
    const x4 = tf.tensor4d(d.x, c.xShape, 'int32');
    const w4 = tf.tensor4d(d.w, c.wShape, 'int32');
    const r =
      c.kind === 'dense'
        ? qIntDense(x4.reshape([n * h * w, cin]), w4.reshape([cin, c.wShape[3]]), opts)
        : c.kind === 'depthwise'
          ? qIntDepthwiseConv2D(x4, w4, opts)
          : qIntConv2D(x4, w4, { ...opts, order: c.order ?? 'hwc' });
    return [r.acc, r.stats] as const;
  });
}

/** Compares named outputs word for word. */
export function compare(
  name: string,
  pairs: [string, ArrayLike<number>, ArrayLike<number>][],
): ConformanceResult {
  const result: ConformanceResult = { name, ok: true, mismatches: 0 };
  for (const [output, expected, actual] of pairs) {
    const n = Math.max(expected.length, actual.length);
    for (let i = 0; i < n; i++) {
      if (expected[i] === actual[i]) continue;
      result.mismatches++;
      result.firstMismatch ??= {
        output,
        index: i,
        expected: expected[i] ?? NaN,
        actual: actual[i] ?? NaN,
      };
    }
  }
  result.ok = result.mismatches === 0;
  return result;
}

const U8: Range = [0, 255];
const I8: Range = [-128, 127];
const W_POS: Range = [64, 127];
const W_NEG: Range = [-128, -64];
const SMALL_BIAS: Range[] = [[-4096, 4096]];
/** Dense [m, k] x [k, n] written as a 1×1 conv of [m, 1, 1, k]. */
const dense = (m: number, k: number, n: number): Pick<LayerCase, 'kind' | 'xShape' | 'wShape'> => ({
  kind: 'dense',
  xShape: [m, 1, 1, k],
  wShape: [1, 1, k, n],
});
const asym = { x: U8, xZeroPoint: [100, 150] as Range, w: [I8], wZeroPoint: [-3, 3] as Range };

/**
 * The layers. Random int8 × uint8 products (|p| ≤ 2^15) overflow 8 to 16 bits at once; the
 * `wide` case (K = 300, same-sign products, |bias| ≥ 2^22) also overflows 20 and 24 bits, and
 * `edge32` (bias within 2^16 of ±2^31, same-sign products) overflows 32 bits.
 */
export const LAYER_CASES: readonly LayerCase[] = [
  { name: 'dense 4x37x5', ...dense(4, 37, 5), ...asym, bias: SMALL_BIAS },
  {
    name: 'dense 3x300x4 wide',
    ...dense(3, 300, 4),
    ...{ x: [128, 255], xZeroPoint: [0, 0], w: [W_POS, W_NEG], wZeroPoint: [0, 0] },
    bias: [
      [2 ** 22, 2 ** 22 + 2 ** 21],
      [-(2 ** 22) - 2 ** 21, -(2 ** 22)],
    ],
  },
  {
    name: 'dense 2x37x4 edge32',
    ...dense(2, 37, 4),
    ...{ x: U8, xZeroPoint: [0, 0], w: [W_POS, W_NEG], wZeroPoint: [0, 0] },
    bias: [
      [2 ** 31 - 2 ** 16, 2 ** 31 - 1],
      [-(2 ** 31), -(2 ** 31) + 2 ** 16],
    ],
  },
  ...(['same', 'valid'] as const).flatMap((padding) =>
    [1, 2].map((strides): LayerCase => ({
      name: `conv 3x3 s${strides} ${padding}`,
      kind: 'conv',
      xShape: [2, 6 + strides - 1, 6, 5],
      wShape: [3, 3, 5, 3],
      ...{ ...asym, bias: SMALL_BIAS, strides, padding },
    })),
  ),
  {
    name: 'conv 3x3 s1 same chw',
    kind: 'conv',
    ...{ xShape: [1, 5, 5, 5], wShape: [3, 3, 5, 3], ...asym, bias: SMALL_BIAS },
    ...{ padding: 'same', order: 'chw' },
  },
  {
    name: 'conv 3x3 d2 same int8',
    kind: 'conv',
    ...{ xShape: [1, 7, 7, 3], wShape: [3, 3, 3, 2], x: I8, xZeroPoint: [0, 0], w: [I8] },
    ...{ wZeroPoint: [0, 0], bias: SMALL_BIAS, dilations: 2, padding: 'same' },
  },
  {
    name: 'depthwise 3x3 s1 same m1',
    kind: 'depthwise',
    ...{ xShape: [2, 6, 6, 4], wShape: [3, 3, 4, 1], ...asym, bias: SMALL_BIAS, padding: 'same' },
  },
  {
    name: 'depthwise 3x3 s2 valid m2',
    kind: 'depthwise',
    ...{ xShape: [2, 7, 7, 3], wShape: [3, 3, 3, 2], ...asym, bias: SMALL_BIAS, strides: 2 },
  },
];

export interface RequantCase {
  name: string;
  multipliers: number[];
  options: RequantizeOptions;
}

/** Per channel: flushed (< 2^-32), small, ties-prone 0.5 and 0.75, 1, and M > 1. */
const CHANNEL_MULTIPLIERS = [2 ** -40, 1e-4, 0.0123, 0.5, 0.75, 1, 3.7];
export const REQUANT_CASES: readonly RequantCase[] = (['fixedPoint', 'float'] as const).flatMap(
  (mode) => [
    {
      name: `requantize ${mode} per-channel int8`,
      multipliers: CHANNEL_MULTIPLIERS,
      options: { mode, zeroPoint: -5, qmin: -128, qmax: 127 },
    },
    {
      name: `requantize ${mode} per-tensor uint8`,
      multipliers: [0.00390625 * 1.37],
      options: { mode, zeroPoint: 128, qmin: 0, qmax: 255 },
    },
  ],
);

/** Seeded accumulators for requantization: int32 extremes, then full, ±2^20 and ±2^12 ranges. */
export function requantAcc(seed: number, channels: number): Int32Array {
  const rng = mulberry32(seed);
  const edges = [-(2 ** 31), 2 ** 31 - 1, 0, 1, -1, 2 ** 24 + 1, -(2 ** 24) - 1, 255, -255];
  const ranges: Range[] = [
    [-(2 ** 31), 2 ** 31 - 1],
    [-(2 ** 20), 2 ** 20],
    [-4096, 4096],
  ];
  const rows = 8;
  return Int32Array.from({ length: rows * channels }, (_, i) =>
    i < edges.length ? (edges[i] ?? 0) : draw(rng, ranges[i % 3] ?? [0, 0]),
  );
}

export function expectedRequant(c: RequantCase, acc: Int32Array, channels: number): Int32Array {
  const g = { zeroPoint: c.options.zeroPoint, qmin: c.options.qmin, qmax: c.options.qmax };
  return acc.map((a, i) => {
    const m = c.multipliers[c.multipliers.length === 1 ? 0 : i % channels] ?? 0;
    return c.options.mode === 'float'
      ? requantizeFloat(a, m, g)
      : requantizeFixedPoint(a, quantizeMultiplier(m), g);
  });
}

/** The seed of layer case i (the same on every backend). */
export const layerSeed = (i: number): number => 1000 + i;

async function attempt(name: string, body: () => Promise<ConformanceResult>) {
  try {
    return await body();
  } catch (e) {
    return { name, ok: false, mismatches: 0, error: String(e) };
  }
}

/**
 * Runs every case (or those whose name passes `filter`) through the tf ops on the current
 * backend and compares with the oracle bit for bit.
 */
export async function runConformance(
  filter: (name: string) => boolean = () => true,
): Promise<ConformanceResult[]> {
  const results: ConformanceResult[] = [];
  for (const [i, c] of LAYER_CASES.entries()) {
    const d = layerData(c, layerSeed(i));
    for (const bits of ACC_WIDTHS)
      for (const overflow of OVERFLOWS) {
        const name = `${c.name} acc${bits} ${overflow}`;
        if (!filter(name)) continue;
        results.push(
          await attempt(name, async () => {
            const want = expectedLayer(c, d, bits, overflow);
            const [acc, stats] = runLayer(c, d, bits, overflow);
            try {
              const got = [await acc.data(), await stats.data()];
              return compare(name, [
                ['acc', want.acc, got[0] ?? []],
                ['stats', want.stats, got[1] ?? []],
              ]);
            } finally {
              tf.dispose([acc, stats]);
            }
          }),
        );
      }
  }
  for (const [i, c] of REQUANT_CASES.entries()) {
    if (!filter(c.name)) continue;
    const channels = CHANNEL_MULTIPLIERS.length;
    const accData = requantAcc(2000 + i, channels);
    results.push(
      await attempt(c.name, async () => {
        const acc = tf.tensor2d(accData, [accData.length / channels, channels], 'int32');
        const out = qIntRequantize(acc, c.multipliers, c.options);
        try {
          const want = expectedRequant(c, accData, channels);
          return compare(c.name, [['codes', want, await out.data()]]);
        } finally {
          tf.dispose([acc, out]);
        }
      }),
    );
  }
  return results;
}
