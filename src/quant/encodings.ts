/**
 * Scale and zero-point from a clipping range (paper Sec. 2.2 and 3.1), computed the way torch's
 * MinMaxObserver._calculate_qparams does, in float32 (Math.fround after each float op), so an
 * experiment can be reproduced in torch.ao.quantization. docs/quantization-conventions.md
 * lists every choice.
 */
import { quantError } from './errors';
import { resolveGrid, type ResolvedGrid } from './grid';
import { roundHalfEven } from './rounding';
import type {
  ChannelLayout,
  ClipRange,
  Encoding,
  Encodings,
  GridSpec,
  Scale,
  ZeroPoint,
} from './types';

const f32 = Math.fround;
/** torch.finfo(torch.float32).eps = 2^-23: the floor torch puts under every scale. */
export const SCALE_EPS = 1.1920928955078125e-7;
export const PER_TENSOR: ChannelLayout = { channels: 1, inner: 1 };

/** Smallest power of two >= s (paper Sec. 2.2.2: s = 2^-k), so the range is never shrunk. */
export function powerOfTwoCeil(s: number): number {
  let p = 2 ** Math.ceil(Math.log2(s));
  if (p < s) p *= 2;
  else if (p / 2 >= s) p /= 2;
  return p;
}

/** Builds an Encoding from given s and z, e.g. a learned scale (checks both). */
export function makeEncoding(grid: ResolvedGrid, scale: number, zeroPoint: number): Encoding {
  if (!(Number.isFinite(scale) && scale > 0)) throw quantError('SCALE', { value: scale });
  const { qmin, qmax } = grid;
  if (!Number.isInteger(zeroPoint) || zeroPoint < qmin || zeroPoint > qmax) {
    throw quantError('ZERO_POINT', { value: zeroPoint, qmin, qmax });
  }
  const s = f32(scale);
  return {
    bitwidth: grid.bits,
    scale: s as Scale,
    zeroPoint: zeroPoint as ZeroPoint,
    qmin,
    qmax,
    min: f32((qmin - zeroPoint) * s),
    max: f32((qmax - zeroPoint) * s),
    isSymmetric: grid.scheme !== 'asymmetric',
  };
}

/**
 * Encoding for a clipping range. The range is first widened to contain 0 (so 0 is exact).
 * - asymmetric: s = (max - min) / (qmax - qmin); z = clamp(qmin - ⌊min/s⌉, qmin, qmax).
 * - symmetric signed: s = max(-min, max) / ((qmax - qmin) / 2) (torch; 127.5 at 8 bits), z = 0.
 * - symmetric unsigned (Eq. 8b, e.g. ReLU outputs): s = max / (qmax - qmin), z = 0.
 * - power-of-two: the symmetric s rounded up to 2^ceil(log2 s).
 * All scales are floored at SCALE_EPS.
 * @example encodingFromRange({ min: -1, max: 3 }, { bits: 8, scheme: 'asymmetric' })
 *   -> s = f32(4/255) = 0.01568627543747425, z = 0 - ⌊-1/s⌉ = 64
 */
export function encodingFromRange(range: ClipRange, spec: GridSpec | ResolvedGrid): Encoding {
  const { min, max } = range;
  if (!(Number.isFinite(min) && Number.isFinite(max) && min <= max)) {
    throw quantError('RANGE', { min, max });
  }
  const grid = 'qmin' in spec ? spec : resolveGrid(spec);
  const { qmin, qmax } = grid;
  const minNeg = f32(Math.min(min, 0));
  const maxPos = f32(Math.max(max, 0));
  if (grid.scheme === 'asymmetric') {
    const scale = Math.max(f32(f32(maxPos - minNeg) / (qmax - qmin)), SCALE_EPS);
    const z = qmin - roundHalfEven(f32(minNeg / scale));
    return makeEncoding(grid, scale, Math.min(Math.max(z, qmin), qmax));
  }
  let scale = grid.signed
    ? f32(Math.max(-minNeg, maxPos) / f32((qmax - qmin) / 2))
    : f32(maxPos / (qmax - qmin));
  scale = Math.max(scale, SCALE_EPS);
  if (grid.scheme === 'power-of-two') scale = powerOfTwoCeil(scale);
  return makeEncoding(grid, scale, 0);
}

/** Packs per-channel (or one per-tensor) encodings into the struct-of-arrays form (a one-channel layout is labelled per-tensor: it is the same quantizer). */
export function packEncodings(
  grid: ResolvedGrid,
  channels: readonly Encoding[],
  layout: ChannelLayout = PER_TENSOR,
): Encodings {
  if (channels.length !== layout.channels) {
    throw quantError('LENGTH', {
      what: 'Encodings',
      expected: layout.channels,
      actual: channels.length,
    });
  }
  return {
    bitwidth: grid.bits,
    scheme: grid.scheme,
    signed: grid.signed,
    narrowRange: grid.narrowRange,
    isSymmetric: grid.scheme !== 'asymmetric',
    qmin: grid.qmin,
    qmax: grid.qmax,
    granularity: layout.channels === 1 && layout.inner === 1 ? 'per-tensor' : 'per-channel',
    layout,
    scale: Float32Array.from(channels, (e) => e.scale),
    zeroPoint: Int32Array.from(channels, (e) => e.zeroPoint),
    min: Float32Array.from(channels, (e) => e.min),
    max: Float32Array.from(channels, (e) => e.max),
  };
}

/**
 * Encodings for one range (per-tensor) or one range per channel of `layout`.
 * @example encodingsFromRanges([{ min: -1, max: 3 }], { bits: 8, scheme: 'asymmetric' }).zeroPoint -> [64]
 */
export function encodingsFromRanges(
  ranges: readonly ClipRange[],
  spec: GridSpec,
  layout: ChannelLayout = PER_TENSOR,
): Encodings {
  const grid = resolveGrid(spec);
  return packEncodings(
    grid,
    ranges.map((r) => encodingFromRange(r, grid)),
    layout,
  );
}

/** The scalar Encoding of channel c (0 for per-tensor). */
export function channelEncoding(encs: Encodings, c: number): Encoding {
  const scale = encs.scale[c];
  const zeroPoint = encs.zeroPoint[c];
  const min = encs.min[c];
  const max = encs.max[c];
  if (scale === undefined || zeroPoint === undefined || min === undefined || max === undefined) {
    throw quantError('CHANNEL', { channel: c, channels: encs.scale.length });
  }
  const { bitwidth, qmin, qmax, isSymmetric } = encs;
  return {
    bitwidth,
    scale: scale as Scale,
    zeroPoint: zeroPoint as ZeroPoint,
    qmin,
    qmax,
    min,
    max,
    isSymmetric,
  };
}
