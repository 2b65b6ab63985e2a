/**
 * The integer kernels' conformance suite, written once and run on whichever backend is current
 * (tfjs describeWithFlags idea): seeded random int8/uint8 codes on small shapes, every case at
 * accumulator widths {8, 12, 16, 20, 24, 32} × {wrap, saturate}, plus requantization. Expected
 * values come from the plain loops and BigInt oracle of quant/intArith.ts (referenceConv,
 * referenceAccumulate), not from the kernels; results are compared bit for bit, statistics
 * included. Results are read with `await t.data()` (never dataSync: it breaks WebGPU). The cases
 * and their seeded codes: conformanceCases.ts.
 */
import * as tf from '@tensorflow/tfjs';
import {
  quantizeMultiplier,
  referenceConv,
  requantizeFixedPoint,
  requantizeFloat,
  type Overflow,
} from '@/quant/intArith';
import {
  qIntConv2D,
  qIntDense,
  qIntDepthwiseConv2D,
  qIntRequantize,
  type IntConvOptions,
} from '../ops/intOps';
import {
  ACC_WIDTHS,
  CHANNEL_MULTIPLIERS,
  LAYER_CASES,
  type LayerCase,
  type LayerData,
  layerData,
  layerSeed,
  OVERFLOWS,
  REQUANT_CASES,
  type RequantCase,
  requantAcc,
} from './conformanceCases';

export interface ConformanceResult {
  name: string;
  ok: boolean;
  /** Differing words over all outputs compared (acc, stats or requantized codes). */
  mismatches: number;
  firstMismatch?: { output: string; index: number; expected: number; actual: number };
  /** Set when the op threw instead of returning. */
  error?: string;
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

export function expectedRequant(c: RequantCase, acc: Int32Array, channels: number): Int32Array {
  const g = { zeroPoint: c.options.zeroPoint, qmin: c.options.qmin, qmax: c.options.qmax };
  return acc.map((a, i) => {
    const m = c.multipliers[c.multipliers.length === 1 ? 0 : i % channels] ?? 0;
    return c.options.mode === 'float'
      ? requantizeFloat(a, m, g)
      : requantizeFixedPoint(a, quantizeMultiplier(m), g);
  });
}

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
