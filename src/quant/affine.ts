/**
 * The uniform affine quantizer (paper Sec. 2.2): quantize (Eq. 4), dequantize (Eq. 6) and
 * fake-quantize (Eq. 7), per tensor or per channel. Arithmetic follows torch's CPU kernels in
 * float32: v = f32(x · f32(1/s)), q = clamp(⌊v⌉ + z, qmin, qmax), x̂ = f32((q - z) · s).
 * Array kernels allocate nothing per element; pass `out` (may be `input`) to allocate nothing.
 */
import { spans } from './granularity';
import { roundHalfEven, type Rounder } from './rounding';
import type { Encoding, Encodings, IntCode } from './types';

const f32 = Math.fround;

/** clamp(⌊x·inv⌉ + z; qmin, qmax) (paper Eq. 4-5) for any rounder. NaN stays NaN. */
function code(x: number, inv: number, z: number, qmin: number, qmax: number, round: Rounder) {
  if (round === roundHalfEven) return codeNearest(x, inv, z, qmin, qmax);
  const q = round(f32(x * inv)) + z;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/**
 * The hot path, equal to `code` with roundHalfEven but about twice as fast as calling
 * Math.round-based rounders: floor(a + 0.5) is exact for float32 a, and the tie check with
 * `& 1` is safe because codes outside int32 are clamped anyway.
 */
function codeNearest(x: number, inv: number, z: number, qmin: number, qmax: number): number {
  // Round before adding z, as torch's nearbyint(x * inv_scale) + zero_point: with an odd z,
  // a tie rounded after adding z would go to the other neighbour.
  const a = f32(x * inv);
  let r = Math.floor(a + 0.5);
  if (r - a === 0.5 && (r & 1) === 1) r -= 1;
  const q = r + z;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

/** 1/s per channel in float32, as torch precomputes inv_scale. */
function inverses(scale: Float32Array): Float32Array {
  return scale.map((s) => 1 / s);
}

/**
 * Eq. 4 for one value.
 * @example quantizeValue(0.5, enc) with s = 4/255, z = 64 -> ⌊0.5·63.75⌉ + 64 = ⌊31.875⌉ + 64 = 96
 */
export function quantizeValue(x: number, enc: Encoding, round: Rounder = roundHalfEven): IntCode {
  return code(x, f32(1 / enc.scale), enc.zeroPoint, enc.qmin, enc.qmax, round) as IntCode;
}

/** Eq. 6 for one code: s(q - z). */
export function dequantizeValue(q: number, enc: Encoding): number {
  return f32((q - enc.zeroPoint) * enc.scale);
}

/** Eq. 7 for one value. @example fakeQuantValue(2.5, s = 1, z = 0, 8-bit unsigned) === 2 (tie to even) */
export function fakeQuantValue(x: number, enc: Encoding, round: Rounder = roundHalfEven): number {
  return dequantizeValue(quantizeValue(x, enc, round), enc);
}

/**
 * Eq. 4 over a tensor: integer codes, channel c using scale[c], zeroPoint[c].
 * @example quantize(Float32Array.of(-1, 0, 3), asym8On(-1, 3)) -> Int32Array [0, 64, 255]
 */
export function quantize(
  input: Float32Array,
  encs: Encodings,
  out: Int32Array = new Int32Array(input.length),
  round: Rounder = roundHalfEven,
): Int32Array {
  const { outer, channels, inner } = spans(input.length, encs.layout);
  const { qmin, qmax, zeroPoint } = encs;
  const inv = inverses(encs.scale);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const iv = inv[c] as number;
      const z = zeroPoint[c] as number;
      for (let k = 0; k < inner; k++, i++)
        out[i] = code(input[i] as number, iv, z, qmin, qmax, round);
    }
  }
  return out;
}

/** Eq. 6 over a tensor of codes. @example dequantize(Int32Array.of(0, 64, 255), asym8On(-1, 3)) -> [-1.0039, 0, 2.9961] */
export function dequantize(
  codes: Int32Array,
  encs: Encodings,
  out: Float32Array = new Float32Array(codes.length),
): Float32Array {
  const { outer, channels, inner } = spans(codes.length, encs.layout);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = encs.scale[c] as number;
      const z = encs.zeroPoint[c] as number;
      for (let k = 0; k < inner; k++, i++) out[i] = ((codes[i] as number) - z) * s;
    }
  }
  return out;
}

/**
 * Eq. 7 over a tensor (quantization simulation, paper Sec. 2.3): float in, float on the grid
 * out. `fakeQuant(x, encs, x)` works in place.
 * @example fakeQuant(Float32Array.of(0.5, 1.5, 2.5), s = 1, z = 0) -> [0, 2, 2] (ties to even)
 */
export function fakeQuant(
  input: Float32Array,
  encs: Encodings,
  out: Float32Array = new Float32Array(input.length),
  round: Rounder = roundHalfEven,
): Float32Array {
  const { outer, channels, inner } = spans(input.length, encs.layout);
  const { qmin, qmax } = encs;
  const inv = inverses(encs.scale);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = encs.scale[c] as number;
      const iv = inv[c] as number;
      const z = encs.zeroPoint[c] as number;
      for (let k = 0; k < inner; k++, i++) {
        out[i] = (code(input[i] as number, iv, z, qmin, qmax, round) - z) * s;
      }
    }
  }
  return out;
}

/**
 * Σ (x - x̂)² with x̂ from Eq. 7 (nearest rounding), without writing x̂: the inner loop of the
 * MSE range search (paper Eq. 16). `weights` (optional) weighs each value, e.g. histogram mass.
 */
export function squaredError(
  input: ArrayLike<number>,
  enc: Encoding,
  weights?: ArrayLike<number>,
): number {
  const { scale: s, zeroPoint: z, qmin, qmax } = enc;
  const inv = f32(1 / s);
  let sum = 0;
  for (let i = 0; i < input.length; i++) {
    const x = input[i] as number;
    const d = x - f32((codeNearest(x, inv, z, qmin, qmax) - z) * s);
    sum += weights === undefined ? d * d : d * d * (weights[i] as number);
  }
  return sum;
}
