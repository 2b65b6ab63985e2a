/**
 * tf ops over the integer-exact kernels (kernels/names.ts; semantics docs/integer-kernels.md):
 * validate shapes, dtypes and attributes with errors that name the value, fill the defaults,
 * then `tf.engine().runKernel`. The accumulate ops return the raw accumulators and their
 * per-output statistics; qIntRequantize maps accumulators to the next layer's codes.
 * Read results with `await t.data()` (dataSync breaks WebGPU here, tfjs-notes.md §0.1).
 */
import * as tf from '@tensorflow/tfjs';
import { quantError } from '@/quant/errors';
import { MAX_REAL_MULTIPLIER, quantizeMultiplier } from '@/quant/intArith';
import {
  ACC_BITS_MAX,
  ACC_BITS_MIN,
  QINT_CONV2D,
  QINT_DENSE,
  QINT_DEPTHWISE_CONV2D,
  QINT_REQUANTIZE,
  accGeometry,
  type Overflow,
  type Padding,
  type QIntAccKernelName,
  type QIntConvAttrs,
  type QIntRequantizeAttrs,
  type RequantMode,
  type SumOrder,
} from '../kernels/names';

export interface IntAccOptions {
  /** int32 [outC] at scale s_w·s_x; zeros when absent. */
  bias?: tf.Tensor1D;
  /** int32 [outC], one per output channel; zeros (symmetric weights) when absent. */
  wZeroPoint?: tf.Tensor1D;
  /** Zero point of the activation codes (per tensor); 0 when absent. */
  xZeroPoint?: number;
  /** Accumulator width, 8..32; 32 when absent. */
  accBits?: number;
  /** 'wrap' (two's complement, the default) or 'saturate' (clamp after every add). */
  overflow?: Overflow;
}

export interface IntConvOptions extends IntAccOptions {
  strides?: number | [number, number];
  dilations?: number | [number, number];
  padding?: Padding;
  /** Conv2D only: 'hwc' (default, the filter's memory order) or 'chw'. */
  order?: SumOrder;
}

export interface IntAccResult {
  /** int32 accumulators: [m, n] (dense) or [batch, outH, outW, outC]. */
  acc: tf.Tensor;
  /** int32 [...acc.shape, STATS_WIDTH] (quant/intArith.ts STAT): read it with `await
   * stats.data()` and pass it with `k` to summarizeAccStats for the layer's summary. */
  stats: tf.Tensor;
  /** Products per output (kh·kw·cin, kh·kw for depthwise, k for dense). */
  k: number;
}

/** Largest K per output: keeps (K + 1)·2^31 < 2^53, the exact range of the host kernels. */
export const MAX_K = 2 ** 21;

function bad(op: string, name: string, value: unknown, expected: string): Error {
  return quantError('OPTION', { name: `${op} ${name}`, value, expected });
}

function checkTensor(op: string, name: string, t: tf.Tensor, rank: number, dtype: string): void {
  if (t.rank !== rank || t.dtype !== dtype)
    throw quantError('SHAPE', {
      shape: t.shape,
      expected: `${op} ${name}: a rank-${rank} ${dtype} tensor (got ${t.dtype})`,
    });
}

function checkInt(op: string, name: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw bad(op, name, v, `an integer from ${lo} to ${hi}`);
  return v;
}

function pair(op: string, name: string, v: number | [number, number]): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  p.forEach((d) => checkInt(op, name, d, 1, 1 << 16));
  return p;
}

function runAcc(
  kernel: QIntAccKernelName,
  op: string,
  x: tf.Tensor,
  w: tf.Tensor,
  o: IntConvOptions,
): IntAccResult {
  const dense = kernel === QINT_DENSE;
  checkTensor(op, 'x', x, dense ? 2 : 4, 'int32');
  checkTensor(op, 'w', w, dense ? 2 : 4, 'int32');
  const inAxis = dense ? 1 : 3;
  if (x.shape[inAxis] !== w.shape[dense ? 0 : 2])
    throw quantError('SHAPE', {
      shape: w.shape,
      expected: `${op} w with ${x.shape[inAxis]} input channels (x is [${x.shape.join(', ')}])`,
    });
  const attrs: QIntConvAttrs = {
    xZeroPoint: checkInt(op, 'xZeroPoint', o.xZeroPoint ?? 0, -(2 ** 31), 2 ** 31 - 1),
    accBits: checkInt(op, 'accBits', o.accBits ?? ACC_BITS_MAX, ACC_BITS_MIN, ACC_BITS_MAX),
    overflow: o.overflow ?? 'wrap',
    strides: pair(op, 'strides', o.strides ?? 1),
    dilations: pair(op, 'dilations', o.dilations ?? 1),
    padding: o.padding ?? 'valid',
    order: o.order ?? 'hwc',
  };
  if (attrs.overflow !== 'wrap' && attrs.overflow !== 'saturate')
    throw bad(op, 'overflow', attrs.overflow, "'wrap' or 'saturate'");
  if (attrs.padding !== 'same' && attrs.padding !== 'valid')
    throw bad(op, 'padding', attrs.padding, "'same' or 'valid'");
  if (attrs.order !== 'hwc' && attrs.order !== 'chw')
    throw bad(op, 'order', attrs.order, "'hwc' or 'chw'");
  const g = accGeometry(kernel, x.shape, w.shape, attrs);
  if (g.k > MAX_K) throw bad(op, 'products per output (K)', g.k, `at most ${MAX_K}`);
  const owned: tf.Tensor[] = [];
  const perChannel = (name: string, t: tf.Tensor1D | undefined): tf.Tensor1D => {
    if (!t) {
      const z = tf.zeros([g.outC], 'int32') as tf.Tensor1D;
      owned.push(z);
      return z;
    }
    checkTensor(op, name, t, 1, 'int32');
    if (t.shape[0] !== g.outC)
      throw quantError('LENGTH', { what: `${op} ${name}`, expected: g.outC, actual: t.size });
    return t;
  };
  const inputs = {
    x,
    w,
    wZeroPoint: perChannel('wZeroPoint', o.wZeroPoint),
    bias: perChannel('bias', o.bias),
  };
  try {
    const out = tf.engine().runKernel(kernel, inputs, attrs) as unknown as tf.Tensor[];
    return { acc: out[0] as tf.Tensor, stats: out[1] as tf.Tensor, k: g.k };
  } finally {
    tf.dispose(owned);
  }
}

/** acc = bias ⊕ x·w for x [m, k] and w [k, n] (int32 codes). */
export function qIntDense(x: tf.Tensor2D, w: tf.Tensor2D, o: IntAccOptions = {}): IntAccResult {
  return runAcc(QINT_DENSE, 'qIntDense', x, w, o);
}

/** Integer conv2d, NHWC x [b, h, w, cin], filter [kh, kw, cin, cout]. */
export function qIntConv2D(x: tf.Tensor4D, w: tf.Tensor4D, o: IntConvOptions = {}): IntAccResult {
  return runAcc(QINT_CONV2D, 'qIntConv2D', x, w, o);
}

/** Integer depthwise conv2d, filter [kh, kw, cin, mult]; output channel c·mult + m. */
export function qIntDepthwiseConv2D(
  x: tf.Tensor4D,
  w: tf.Tensor4D,
  o: Omit<IntConvOptions, 'order'> = {},
): IntAccResult {
  return runAcc(QINT_DEPTHWISE_CONV2D, 'qIntDepthwiseConv2D', x, w, o);
}

export interface RequantizeOptions {
  mode: RequantMode;
  /** Output grid: zero point z_y and [qmin, qmax] (integers, |v| ≤ 2^24). */
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/**
 * Requantizes int32 accumulators (channels on the last axis) with real multipliers
 * M_c = s_w,c·s_x / s_y, one per channel or one for all: 'fixedPoint' turns each into a Q31
 * mantissa and shift (quantizeMultiplier), 'float' uses f32(M_c).
 */
export function qIntRequantize(
  acc: tf.Tensor,
  multipliers: readonly number[],
  o: RequantizeOptions,
): tf.Tensor {
  const op = 'qIntRequantize';
  if (acc.dtype !== 'int32' || acc.rank < 1)
    throw quantError('SHAPE', { shape: acc.shape, expected: `${op} acc: an int32 tensor` });
  const channels = acc.shape[acc.rank - 1] ?? 0;
  if (multipliers.length !== 1 && multipliers.length !== channels)
    throw quantError('LENGTH', {
      what: `${op} multipliers`,
      expected: channels,
      actual: multipliers.length,
    });
  multipliers.forEach((m, i) => {
    if (!(Number.isFinite(m) && m >= 0 && m <= MAX_REAL_MULTIPLIER))
      throw bad(op, `multipliers[${i}]`, m, 'a finite number in [0, 2^30]');
  });
  if (o.mode !== 'fixedPoint' && o.mode !== 'float')
    throw bad(op, 'mode', o.mode, "'fixedPoint' or 'float'");
  const attrs: QIntRequantizeAttrs = {
    mode: o.mode,
    zeroPoint: checkInt(op, 'zeroPoint', o.zeroPoint, -(2 ** 24), 2 ** 24),
    qmin: checkInt(op, 'qmin', o.qmin, -(2 ** 24), 2 ** 24),
    qmax: checkInt(op, 'qmax', o.qmax, o.qmin, 2 ** 24),
  };
  const params =
    o.mode === 'float'
      ? { scale: tf.tensor1d(Float32Array.from(multipliers), 'float32') }
      : (() => {
          const q = multipliers.map(quantizeMultiplier);
          return {
            multiplier: tf.tensor1d(
              Int32Array.from(q, (v) => v.multiplier),
              'int32',
            ),
            shift: tf.tensor1d(
              Int32Array.from(q, (v) => v.shift),
              'int32',
            ),
          };
        })();
  try {
    return tf.engine().runKernel(QINT_REQUANTIZE, { acc, ...params }, attrs) as tf.Tensor;
  } finally {
    tf.dispose(Object.values(params));
  }
}
