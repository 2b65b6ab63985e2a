/**
 * The cases of the integer kernels' conformance suite (conformance.ts), plain data and seeded
 * codes only: dense/conv/depthwise layers on small shapes with int8/uint8 codes, run at every
 * accumulator width and overflow mode (paper 2.1: the accumulator of W^int·x^int + b^int, then
 * requantization to the output grid), and per-channel/per-tensor requantization with
 * multipliers chosen to hit flushing, rounding ties and M > 1. Identical on every backend.
 */
import type { Overflow } from '@/quant/intArith';
import { mulberry32, randInt, type Rng } from '@/quant/random';
import type { RequantizeOptions } from '../ops/intOps';

export const ACC_WIDTHS: readonly number[] = [8, 12, 16, 20, 24, 32];
export const OVERFLOWS: readonly Overflow[] = ['wrap', 'saturate'];
/** An inclusive integer range [lo, hi]. */
type Range = [number, number];

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
export const CHANNEL_MULTIPLIERS = [2 ** -40, 1e-4, 0.0123, 0.5, 0.75, 1, 3.7];
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

/** The seed of layer case i (the same on every backend). */
export const layerSeed = (i: number): number => 1000 + i;
