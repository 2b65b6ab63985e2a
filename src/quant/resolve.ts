/**
 * QuantizerSpec + data -> Encodings + fake-quant functions: the one pure entry point the engine
 * uses (Brevitas's "solver" idea as a function). Range methods are paper Sec. 3.1; grids and
 * scales follow encodings.ts; kernels are affine.ts.
 */
import { dequantize, fakeQuant, quantize } from './affine';
import { encodingsFromRanges, PER_TENSOR } from './encodings';
import { quantError } from './errors';
import { layoutForAxis, perChannelMinMax } from './granularity';
import type { Histogram } from './metrics';
import { bnRange, bnRanges } from './range/bn';
import { crossEntropyRange } from './range/crossEntropy';
import { mseRangeFromHistogram, mseRanges } from './range/mse';
import { percentileRangeFromHistogram, percentileRanges } from './range/percentile';
import { rounderFor } from './rounding';
import { normalizeSpec, type FullSpec } from './spec';
import type { ChannelLayout, ClipRange, Encodings, QuantizerSpec, RoundingMode } from './types';

/** What a range method may read. `data` wins over `observed` when both are given. */
export interface ResolveInput {
  /** Weights, calibration activations, or logits [n, classes] (cross-entropy), row-major. */
  readonly data?: ArrayLike<number>;
  /** Shape of `data`: gives the default per-channel layout (last axis) and the class count. */
  readonly shape?: readonly number[];
  /** Per-channel layout (granularity.ts: layoutForKernel); default the last axis of `shape`. */
  readonly layout?: ChannelLayout;
  /** β and γ of the BatchNorm producing this tensor, for range method 'bn'. */
  readonly bn?: { readonly beta: ArrayLike<number>; readonly gamma: ArrayLike<number> };
  /** Observer output instead of data: min-max ranges, or a histogram for mse / percentile. */
  readonly observed?: { readonly ranges?: readonly ClipRange[]; readonly histogram?: Histogram };
}

function layoutOf(spec: FullSpec, input: ResolveInput): ChannelLayout {
  if (spec.granularity === 'per-tensor') return PER_TENSOR;
  if (input.layout !== undefined) return input.layout;
  if (input.shape !== undefined) return layoutForAxis(input.shape, -1);
  throw quantError('MISSING_INPUT', { method: 'per-channel', needs: 'a layout or a shape' });
}

function fromObserved(spec: FullSpec, layout: ChannelLayout, input: ResolveInput) {
  const { range } = spec;
  const { ranges, histogram } = input.observed ?? {};
  const { method } = range;
  if ((method === 'min-max' || method === 'moving-average') && ranges !== undefined) {
    return ranges;
  }
  if (histogram !== undefined && layout.channels === 1) {
    if (range.method === 'percentile')
      return [percentileRangeFromHistogram(histogram, range.percentile)];
    if (range.method === 'mse') return [mseRangeFromHistogram(histogram, spec, range)];
  }
  throw quantError('MISSING_INPUT', { method, needs: 'data (or observer statistics it can use)' });
}

/**
 * One clipping range per channel of the spec's granularity (length 1 per-tensor).
 * @example estimateRanges({ bits: 8, scheme: 'asymmetric' }, { data: [-1, 0, 3] }) -> [{ min: -1, max: 3 }]
 */
export function estimateRanges(spec: QuantizerSpec, input: ResolveInput): ClipRange[] {
  const full = normalizeSpec(spec);
  const layout = layoutOf(full, input);
  const { range } = full;
  const perTensor = layout.channels === 1 && layout.inner === 1;
  if (range.method === 'bn') {
    if (input.bn === undefined) {
      throw quantError('MISSING_INPUT', { method: 'bn', needs: 'bn β and γ' });
    }
    const { beta, gamma } = input.bn;
    return perTensor ? [bnRange(beta, gamma, range.alpha)] : bnRanges(beta, gamma, range.alpha);
  }
  const { data } = input;
  if (data === undefined) return [...fromObserved(full, layout, input)];
  switch (range.method) {
    case 'min-max':
    case 'moving-average':
      return perChannelMinMax(data, layout);
    case 'mse':
      return mseRanges(data, layout, full, range);
    case 'percentile':
      return percentileRanges(data, layout, range.percentile);
    case 'cross-entropy':
      return [crossEntropyFor(full, input, data, perTensor)];
  }
}

function crossEntropyFor(
  spec: FullSpec,
  input: ResolveInput,
  data: ArrayLike<number>,
  perTensor: boolean,
) {
  const classes = input.shape?.[input.shape.length - 1];
  if (!perTensor) {
    throw quantError('OPTION', {
      name: 'granularity',
      value: 'per-channel',
      expected: 'per-tensor',
    });
  }
  if (classes === undefined) {
    throw quantError('MISSING_INPUT', {
      method: 'cross-entropy',
      needs: 'the logits shape [n, classes]',
    });
  }
  const { range } = spec;
  return crossEntropyRange(data, classes, spec, range.method === 'cross-entropy' ? range : {});
}

/** The spec's Encodings for the input. @example resolveEncodings(asym8, { data: [-1, 3] }).scale[0] ≈ 0.0156862754 */
export function resolveEncodings(spec: QuantizerSpec, input: ResolveInput): Encodings {
  const full = normalizeSpec(spec);
  const ranges = estimateRanges(full, input);
  const layout = layoutOf(full, input);
  if (ranges.length !== layout.channels) {
    throw quantError('LENGTH', {
      what: 'Ranges',
      expected: layout.channels,
      actual: ranges.length,
    });
  }
  return encodingsFromRanges(ranges, full, layout);
}

/** Concrete functions for one tensor's encodings. `out` may be the input (in place). */
export interface Quantizer {
  readonly encodings: Encodings;
  readonly rounding: RoundingMode;
  fakeQuant(input: Float32Array, out?: Float32Array): Float32Array;
  quantize(input: Float32Array, out?: Int32Array): Int32Array;
  dequantize(codes: Int32Array, out?: Float32Array): Float32Array;
}

/** Functions over fixed encodings (e.g. learned in QAT). Stochastic rounding restarts from `seed` on every call. */
export function quantizerFromEncodings(
  encodings: Encodings,
  rounding: RoundingMode = 'nearest',
  seed = 0,
): Quantizer {
  return {
    encodings,
    rounding,
    fakeQuant: (x, out) => fakeQuant(x, encodings, out, rounderFor(rounding, seed)),
    quantize: (x, out) => quantize(x, encodings, out, rounderFor(rounding, seed)),
    dequantize: (codes, out) => dequantize(codes, encodings, out),
  };
}

/**
 * Spec + data -> quantizer.
 * @example resolveQuantizer({ bits: 8, scheme: 'asymmetric' }, { data: x }).fakeQuant(x, x)
 */
export function resolveQuantizer(spec: QuantizerSpec, input: ResolveInput, seed = 0): Quantizer {
  const full = normalizeSpec(spec);
  return quantizerFromEncodings(resolveEncodings(full, input), full.rounding, seed);
}
