/**
 * Types shared by the quantization math. Plain data only, so specs and encodings can cross a
 * worker boundary (structured clone) and be stored in a share link.
 */

declare const brand: unique symbol;
/** A nominal tag on a number, so a scale cannot be passed where a zero-point is expected. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

/** Bits b of the integer grid, validated to 2..16 by `bitWidth()` (grid.ts). */
export type BitWidth = Brand<number, 'BitWidth'>;
/** Step size s of the grid (paper Eq. 2, 4): a finite float32 > 0. */
export type Scale = Brand<number, 'Scale'>;
/** Integer z that real 0 maps to (paper Eq. 4); always inside [qmin, qmax]. */
export type ZeroPoint = Brand<number, 'ZeroPoint'>;
/** One integer code x_int in [qmin, qmax] (paper Eq. 4). Arrays of codes are Int32Array. */
export type IntCode = Brand<number, 'IntCode'>;

/**
 * - `asymmetric`: uniform affine grid with a zero-point (paper Sec. 2.2, Eq. 4-7).
 * - `symmetric`: zero-point fixed at 0 (paper Sec. 2.2.1, Eq. 8a-c).
 * - `power-of-two`: symmetric with s = 2^-k (paper Sec. 2.2.2).
 */
export const SCHEMES = ['asymmetric', 'symmetric', 'power-of-two'] as const;
export type Scheme = (typeof SCHEMES)[number];
/** One quantizer per tensor, or one per output channel (paper Sec. 2.2.3). */
export const GRANULARITIES = ['per-tensor', 'per-channel'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
/** `nearest` is round-half-to-even, as torch's nearbyint (see rounding.ts). */
export const ROUNDING_MODES = ['nearest', 'floor', 'stochastic'] as const;
export type RoundingMode = (typeof ROUNDING_MODES)[number];
/** The `method` tags of RangeMethod, for schemas and pickers. */
export const RANGE_METHODS = [
  'min-max',
  'moving-average',
  'mse',
  'percentile',
  'cross-entropy',
  'bn',
] as const satisfies readonly RangeMethod['method'][];

/** How the clipping range [q_min, q_max] is chosen (paper Sec. 3.1). Serializable. */
export type RangeMethod =
  | { readonly method: 'min-max' }
  /** EMA of batch min/max (torch MovingAverageMinMaxObserver); on one tensor = min-max. */
  | { readonly method: 'moving-average'; readonly averagingConstant?: number }
  /** Eq. 16: grid search over `candidates` shrink factors of the min-max range. */
  | { readonly method: 'mse'; readonly candidates?: number; readonly search?: MseSearch }
  /** Clip at the given percentile of the values (and 100 - p at the low end), e.g. 99.99. */
  | { readonly method: 'percentile'; readonly percentile: number }
  /** Eq. 17, for logits feeding a softmax; data is [n, classes]. */
  | { readonly method: 'cross-entropy'; readonly candidates?: number }
  /** Eq. 18-19: beta -+ alpha*gamma from the preceding BatchNorm; no data needed. */
  | { readonly method: 'bn'; readonly alpha?: number };

/** `joint`: one shrink factor for both ends; `independent`: then refine each end alone. */
export type MseSearch = 'joint' | 'independent';

/** Everything that defines a quantizer. Optional fields default as `normalizeSpec` says. */
export interface QuantizerSpec {
  readonly bits: number;
  readonly scheme: Scheme;
  /** Signed grid [-2^(b-1), 2^(b-1)-1] or unsigned [0, 2^b-1]. Default: symmetric schemes signed. */
  readonly signed?: boolean;
  /** Drop the most negative code (signed: -127..127 at 8 bits; unsigned: 0..254). Default false. */
  readonly narrowRange?: boolean;
  /** Default per-tensor. */
  readonly granularity?: Granularity;
  /** Default min-max. */
  readonly range?: RangeMethod;
  /** Default nearest. */
  readonly rounding?: RoundingMode;
}

/** The grid part of a spec: what `encodingFromRange` needs. */
export interface GridSpec {
  readonly bits: number;
  readonly scheme: Scheme;
  readonly signed?: boolean;
  readonly narrowRange?: boolean;
}

/** A real interval to quantize over; estimators return these, encodings are built from them. */
export interface ClipRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Where the channel of a flat row-major index sits: channel(i) = floor(i / inner) % channels.
 * Per-tensor is { channels: 1, inner: 1 }. Axis last (Dense, Conv2D, NHWC) has inner = 1.
 */
export interface ChannelLayout {
  readonly channels: number;
  readonly inner: number;
}

/** The quantizer of one tensor or one channel (paper Eq. 7 parameters plus its float range). */
export interface Encoding {
  readonly bitwidth: BitWidth;
  readonly scale: Scale;
  readonly zeroPoint: ZeroPoint;
  readonly qmin: number;
  readonly qmax: number;
  /** Smallest and largest representable value: s(qmin - z), s(qmax - z), in float32. */
  readonly min: number;
  readonly max: number;
  readonly isSymmetric: boolean;
}

/**
 * Encodings of a whole tensor, struct-of-arrays: one entry per channel (length 1 per-tensor),
 * ready to upload as small tensors. Treat the arrays as read-only.
 */
export interface Encodings {
  readonly bitwidth: BitWidth;
  readonly scheme: Scheme;
  readonly signed: boolean;
  readonly narrowRange: boolean;
  readonly isSymmetric: boolean;
  readonly qmin: number;
  readonly qmax: number;
  readonly granularity: Granularity;
  readonly layout: ChannelLayout;
  readonly scale: Float32Array;
  readonly zeroPoint: Int32Array;
  readonly min: Float32Array;
  readonly max: Float32Array;
}
