/**
 * What the playground draws for one quantized tensor: its histogram, the grid points s(q − z)
 * over it, the clipping thresholds [min, max] of its encoding (paper Sec. 2.2, Eq. 7, Fig. 3)
 * and the quantization error split into clipping error (values outside [min, max]) and rounding
 * error (inside, each at most (s/2)²): the trade-off of paper Sec. 2.2 that range setting
 * (Sec. 3.1) balances. Pure and O(n), so the UI can redo it on every slider step.
 */
import { fakeQuant } from './affine';
import { channelEncoding } from './encodings';
import { gatherChannel, perChannelMinMax } from './granularity';
import { gridPoints, histogram, type Histogram, sqnrDb } from './metrics';
import { resolveEncodings } from './resolve';
import type { ChannelLayout, ClipRange, Encoding, Encodings, QuantizerSpec } from './types';

/** The error of x̂ against x as means over all n values, so clipping + rounding = MSE. */
export interface ErrorSplit {
  /** (1/n)·Σ (x − x̂)² over x outside [min, max]. */
  readonly clipping: number;
  /** (1/n)·Σ (x − x̂)² over x inside [min, max]; each term is at most (s/2)². */
  readonly rounding: number;
  /** How many values lie outside [min, max]. */
  readonly clipped: number;
  readonly count: number;
}

/**
 * Splits the mean squared error of x̂ into clipping and rounding parts (paper Sec. 2.2).
 * @example errorSplit([-1, 0.25, 1.5, 2.75, 5], [0, 0, 2, 3, 3], { min: 0, max: 3 })
 *   -> { clipping: (1 + 4) / 5 = 1, rounding: (0.0625 + 0.25 + 0.0625) / 5 = 0.075, clipped: 2, count: 5 }
 */
export function errorSplit(
  x: ArrayLike<number>,
  xq: ArrayLike<number>,
  range: ClipRange,
): ErrorSplit {
  let clipping = 0;
  let rounding = 0;
  let clipped = 0;
  const n = Math.min(x.length, xq.length);
  for (let i = 0; i < n; i++) {
    const v = x[i] as number;
    const d = v - (xq[i] as number);
    if (v < range.min || v > range.max) {
      clipping += d * d;
      clipped++;
    } else rounding += d * d;
  }
  const count = Math.max(1, n);
  return { clipping: clipping / count, rounding: rounding / count, clipped, count: n };
}

/**
 * Index of the channel with the widest range max − min (the first on ties; 0 when empty): the
 * channel that sets a per-tensor range, and the one worth looking at first (paper Fig. 5).
 * @example widestChannel([{ min: 0, max: 1 }, { min: -3, max: 2 }]) === 1
 */
export function widestChannel(ranges: readonly ClipRange[]): number {
  let best = 0;
  let width = -Infinity;
  ranges.forEach((r, c) => {
    if (r.max - r.min > width) {
      width = r.max - r.min;
      best = c;
    }
  });
  return best;
}

export interface TensorView {
  /** The encodings of the whole tensor (one entry per channel per-channel). */
  readonly encodings: Encodings;
  /** The encoding of the values shown: the tensor's, or the chosen channel's. */
  readonly encoding: Encoding;
  /** The channel shown, or null for a per-tensor quantizer. */
  readonly channel: number | null;
  /** Min and max of each channel of the data (per-tensor: one entry). */
  readonly ranges: readonly ClipRange[];
  /** Histogram of the shown values over a span covering both them and [min, max]. */
  readonly histogram: Histogram;
  /** Grid points s(q − z) within the span (thinned past `gridLimit`). */
  readonly grid: Float64Array;
  readonly errors: ErrorSplit;
  /** SQNR (dB) of the shown values, and of the whole tensor (the layer table's W-SQNR). */
  readonly sqnrDb: number;
  readonly tensorSqnrDb: number;
}

export interface TensorViewOptions {
  /** Histogram bins; default 64. */
  readonly bins?: number;
  /** Per-channel: the channel to show (clamped); default the widest. */
  readonly channel?: number;
  /** Most grid points to list; default 4096 (16-bit grids are thinned). */
  readonly gridLimit?: number;
}

/** How to quantize: a spec resolved on the values (min-max, MSE, ...), or fixed encodings. */
export type ViewQuantizer =
  | { readonly spec: QuantizerSpec; readonly layout: ChannelLayout }
  | { readonly encodings: Encodings };

/**
 * Histogram, grid, clipping thresholds and error split of `values` under a quantizer.
 * @example tensorView(Float32Array.of(-1, 0.25, 1.5, 2.75, 5), { encodings: asym2bitOn(0, 3) }, { bins: 6 })
 *   -> grid [0, 1, 2, 3], histogram over [-1, 5] with counts [1, 1, 1, 1, 0, 1], errors as errorSplit's example
 */
export function tensorView(
  values: Float32Array,
  quantizer: ViewQuantizer,
  options: TensorViewOptions = {},
): TensorView {
  const encodings =
    'encodings' in quantizer
      ? quantizer.encodings
      : resolveEncodings(quantizer.spec, { data: values, layout: quantizer.layout });
  const quantized = fakeQuant(values, encodings);
  const perChannel = encodings.scale.length > 1;
  const ranges = perChannelMinMax(
    values,
    perChannel ? encodings.layout : { channels: 1, inner: 1 },
  );
  const channel = perChannel
    ? Math.min(Math.max(0, options.channel ?? widestChannel(ranges)), ranges.length - 1)
    : null;
  const shown = channel === null ? values : gatherChannel(values, encodings.layout, channel);
  const shownQ = channel === null ? quantized : gatherChannel(quantized, encodings.layout, channel);
  const encoding = channelEncoding(encodings, channel ?? 0);
  const data = ranges[channel ?? 0] ?? { min: 0, max: 0 };
  // Half a step beyond the span, so float rounding of enc.min / enc.max never drops an end point.
  const half = encoding.scale / 2;
  const grid = gridPoints(encoding, {
    from: Math.min(data.min, encoding.min) - half,
    to: Math.max(data.max, encoding.max) + half,
    limit: options.gridLimit ?? 4096,
  });
  const min = Math.min(data.min, encoding.min, grid[0] ?? Infinity);
  const max = Math.max(data.max, encoding.max, grid[grid.length - 1] ?? -Infinity);
  return {
    encodings,
    encoding,
    channel,
    ranges,
    histogram: histogram(shown, { bins: options.bins ?? 64, min, max }),
    grid,
    errors: errorSplit(shown, shownQ, encoding),
    sqnrDb: sqnrDb(shown, shownQ),
    tensorSqnrDb: sqnrDb(values, quantized),
  };
}
