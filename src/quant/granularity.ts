/**
 * Per-tensor and per-output-channel granularity (paper Sec. 2.2.3): where each channel's values
 * sit in a flat row-major array. Weights are quantized per output channel; activations per
 * tensor (per-channel activations cannot be factored out of the accumulator, Sec. 2.2.3).
 */
import { PER_TENSOR } from './encodings';
import { quantError } from './errors';
import type { ChannelLayout, ClipRange } from './types';

/** Tensor kinds whose output-channel axis is known. */
export type ChannelAxisKind = 'dense' | 'conv2d' | 'depthwise-conv2d' | 'activation';

/** A layout with the outer loop count for a given length: i = (o·channels + c)·inner + k. */
export interface Spans {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
}

/**
 * Layout of `axis` (negative counts from the end) in a row-major tensor of `shape`.
 * @example layoutForAxis([3, 3, 8, 16], -1) -> { channels: 16, inner: 1 }
 */
export function layoutForAxis(shape: readonly number[], axis: number): ChannelLayout {
  const a = axis < 0 ? shape.length + axis : axis;
  const channels = shape[a];
  if (!Number.isInteger(axis) || channels === undefined) {
    throw quantError('AXIS', { axis, rank: shape.length });
  }
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  return { channels, inner };
}

/**
 * Output-channel layout of a TF.js tensor. Dense [in, out], Conv2D [kh, kw, in, out] and NHWC
 * activations: the last axis. DepthwiseConv2D [kh, kw, in, mult]: output channel in·mult, the
 * last two axes flattened, which in row-major order is again "last axis of size in·mult".
 * @example layoutForKernel('depthwise-conv2d', [3, 3, 8, 2]) -> { channels: 16, inner: 1 }
 */
export function layoutForKernel(kind: ChannelAxisKind, shape: readonly number[]): ChannelLayout {
  const rank = shape.length;
  if (kind === 'depthwise-conv2d') {
    if (rank !== 4) throw quantError('SHAPE', { shape, expected: '[kh, kw, in, mult]' });
    return { channels: (shape[2] ?? 0) * (shape[3] ?? 0), inner: 1 };
  }
  const expectedRank = kind === 'dense' ? 2 : kind === 'conv2d' ? 4 : 0;
  if (rank === 0 || (expectedRank !== 0 && rank !== expectedRank)) {
    throw quantError('SHAPE', { shape, expected: `a ${kind} tensor of rank ${expectedRank}` });
  }
  return layoutForAxis(shape, -1);
}

/** Checks that `length` values fit `layout` and returns the loop counts. */
export function spans(length: number, layout: ChannelLayout = PER_TENSOR): Spans {
  const { channels, inner } = layout;
  const block = channels * inner;
  if (!(block > 0 && Number.isInteger(block)) || length % block !== 0) {
    throw quantError('LAYOUT', { length, channels, inner });
  }
  // Per-tensor runs as one long inner loop.
  return channels === 1
    ? { outer: 1, channels: 1, inner: length }
    : { ...layout, outer: length / block };
}

/**
 * Min and max of every channel (NaN values are skipped; an all-NaN channel gives [0, 0]).
 * @example perChannelMinMax(Float32Array.of(1, -2, 3, 4), { channels: 2, inner: 1 })
 *   -> [{ min: 1, max: 3 }, { min: -2, max: 4 }]
 */
export function perChannelMinMax(data: ArrayLike<number>, layout: ChannelLayout): ClipRange[] {
  const { outer, channels, inner } = spans(data.length, layout);
  if (data.length === 0) throw quantError('EMPTY', { what: 'Tensor' });
  const lo = new Float64Array(channels).fill(Infinity);
  const hi = new Float64Array(channels).fill(-Infinity);
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let l = lo[c] as number;
      let h = hi[c] as number;
      for (let k = 0; k < inner; k++, i++) {
        const v = data[i] as number;
        if (v < l) l = v;
        if (v > h) h = v;
      }
      lo[c] = l;
      hi[c] = h;
    }
  }
  return Array.from(lo, (l, c) => {
    const h = hi[c] as number;
    return l <= h ? { min: l, max: h } : { min: 0, max: 0 };
  });
}

/** Copies channel c's values into `out` (allocated when absent) and returns it. */
export function gatherChannel(
  data: ArrayLike<number>,
  layout: ChannelLayout,
  c: number,
  out?: Float32Array,
): Float32Array {
  const { outer, channels, inner } = spans(data.length, layout);
  const dst = out ?? new Float32Array(outer * inner);
  let j = 0;
  for (let o = 0; o < outer; o++) {
    const base = (o * channels + c) * inner;
    for (let k = 0; k < inner; k++) dst[j++] = data[base + k] as number;
  }
  return dst;
}
