/**
 * The integer-exact kernels (tfjs kernel_names.ts idea): names, inputs, attributes and the
 * output geometry every backend shares. Semantics in docs/integer-kernels.md; the arithmetic
 * is quant/intArith.ts (white paper Sec. 2.1, Eq. 1-3).
 *
 * Accumulate kernels (QIntDense, QIntConv2D, QIntDepthwiseConv2D), all tensors int32:
 *   inputs  x: activation codes in [qmin, qmax] (attr xZeroPoint is subtracted in the kernel, so
 *              zero padding contributes exactly 0); w: weight codes; wZeroPoint: one per output
 *              channel (symmetric → 0); bias: int32 at scale s_w·s_x, loaded into the accumulator
 *   outputs [acc, stats]: acc = the accumulator register after the last product (before
 *              requantization); stats = [..., STATS_WIDTH] per output (quant/intArith.ts STAT)
 * QIntRequantize: acc int32 → codes of the next layer's grid, per channel (last axis), with the
 *   gemmlowp fixed-point multiplier (inputs multiplier, shift: int32 [C]) or in float32 (input
 *   scale: float32 [C]); C may be 1 (per tensor).
 */
import * as tf from '@tensorflow/tfjs';
import type { Overflow, Padding, SumOrder } from '@/quant/intArith';

export type { Overflow, Padding, SumOrder };

export const QINT_DENSE = 'QIntDense';
export const QINT_CONV2D = 'QIntConv2D';
export const QINT_DEPTHWISE_CONV2D = 'QIntDepthwiseConv2D';
export const QINT_REQUANTIZE = 'QIntRequantize';

export type QIntAccKernelName =
  typeof QINT_DENSE | typeof QINT_CONV2D | typeof QINT_DEPTHWISE_CONV2D;
export const QINT_ACC_KERNELS: readonly QIntAccKernelName[] = [
  QINT_DENSE,
  QINT_CONV2D,
  QINT_DEPTHWISE_CONV2D,
];
export const INT_KERNEL_NAMES: readonly string[] = [...QINT_ACC_KERNELS, QINT_REQUANTIZE];

/** Accumulator widths the ops accept (the 8 to 32 bits). */
export const ACC_BITS_MIN = 8;
export const ACC_BITS_MAX = 32;

/** Input names of the accumulate kernels, in the order the WebGPU programs bind them. */
export const ACC_INPUTS = ['x', 'w', 'wZeroPoint', 'bias'] as const;

/** Attributes of every accumulate kernel. */
export type QIntAccAttrs = {
  xZeroPoint: number;
  accBits: number;
  overflow: Overflow;
};

/** Conv attributes (DepthwiseConv2D ignores `order`: its K is kh·kw only). */
export type QIntConvAttrs = QIntAccAttrs & {
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
  order: SumOrder;
};

export type RequantMode = 'fixedPoint' | 'float';

/** Input names of QIntRequantize per mode (the WebGPU program binds them in this order). */
export function requantizeInputNames(mode: RequantMode): string[] {
  return mode === 'float' ? ['acc', 'scale'] : ['acc', 'multiplier', 'shift'];
}

export type QIntRequantizeAttrs = {
  mode: RequantMode;
  zeroPoint: number;
  qmin: number;
  qmax: number;
};

/**
 * Where every accumulate kernel reads and writes, as an NHWC conv: Dense [m, k] x [k, n] is a
 * 1×1 conv of [m, 1, 1, k]. Spatial geometry is TF's own (backend_util.computeConv2DInfo),
 * independent of the reference loops in quant/intArith.ts that the conformance suite uses.
 */
export interface AccGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  kH: number;
  kW: number;
  /** Output channels per input channel when depthwise, else 1. */
  mult: number;
  outH: number;
  outW: number;
  outC: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
  depthwise: boolean;
  /** Products per output (the K of the accumulation). */
  k: number;
  /** Shape of the acc output (Dense keeps [m, n]). */
  outShape: number[];
}

export function accGeometry(
  kernel: QIntAccKernelName,
  xShape: readonly number[],
  wShape: readonly number[],
  attrs: Partial<QIntConvAttrs>,
): AccGeometry {
  const dim = (s: readonly number[], i: number): number => s[i] ?? 0;
  if (kernel === QINT_DENSE) {
    const [m, k, n] = [dim(xShape, 0), dim(xShape, 1), dim(wShape, 1)];
    const one = { kH: 1, kW: 1, outH: 1, outW: 1, strideH: 1, strideW: 1, dilH: 1, dilW: 1 };
    return {
      ...one,
      ...{ batch: m, inH: 1, inW: 1, inC: k, mult: 1, outC: n, padTop: 0, padLeft: 0 },
      depthwise: false,
      k,
      outShape: [m, n],
    };
  }
  const depthwise = kernel === QINT_DEPTHWISE_CONV2D;
  const info = tf.backend_util.computeConv2DInfo(
    [dim(xShape, 0), dim(xShape, 1), dim(xShape, 2), dim(xShape, 3)],
    [dim(wShape, 0), dim(wShape, 1), dim(wShape, 2), dim(wShape, 3)],
    attrs.strides ?? [1, 1],
    attrs.dilations ?? [1, 1],
    attrs.padding ?? 'valid',
    undefined,
    depthwise,
  );
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    mult: depthwise ? dim(wShape, 3) : 1,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    depthwise,
    k: info.filterHeight * info.filterWidth * (depthwise ? 1 : info.inChannels),
    outShape: [info.batchSize, info.outHeight, info.outWidth, info.outChannels],
  };
}

/**
 * QAT quantizer kernels (host backends only; engine/kernels/cpu/LsqFakeQuant.ts). All float32.
 * LsqFakeQuant: inputs x, scale ([] or [C], C = the last axis), zero (⌊z⌉, like scale) → x̂.
 * LsqFakeQuantGrad: inputs dy, x, scale, zero → [dx, ∂L/∂log s, ∂L/∂z] (attr `learn`: false
 * leaves the last two 0).
 */
export const LSQ_FAKE_QUANT = 'LsqFakeQuant';
export const LSQ_FAKE_QUANT_GRAD = 'LsqFakeQuantGrad';
export interface LsqAttrs {
  qmin: number;
  qmax: number;
}
