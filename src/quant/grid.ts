/**
 * The integer grid [qmin, qmax] of a quantizer (paper Eq. 4, 8b, 8c), with Brevitas's
 * min_int/max_int conventions for narrow range.
 */
import { quantError } from './errors';
import type { BitWidth, GridSpec, Scheme } from './types';

export const MIN_BITS = 2;
export const MAX_BITS = 16;

/**
 * Validates a bit-width: an integer in 2..16 (16 keeps every code exact in float32 and Int32).
 * @example bitWidth(8) === 8; bitWidth(17) throws "Bit-width must be an integer from 2 to 16; got 17."
 */
export function bitWidth(value: number): BitWidth {
  if (!Number.isInteger(value) || value < MIN_BITS || value > MAX_BITS) {
    throw quantError('BIT_WIDTH', { value });
  }
  return value as BitWidth;
}

/**
 * Integer limits: unsigned [0, 2^b - 1] (Eq. 4, 8b), signed [-2^(b-1), 2^(b-1) - 1] (Eq. 8c).
 * Narrow range drops one code: signed [-(2^(b-1) - 1), 2^(b-1) - 1], unsigned [0, 2^b - 2].
 * @example intGrid(8, true, true) -> { qmin: -127, qmax: 127 }
 */
export function intGrid(
  bits: number,
  signed: boolean,
  narrowRange = false,
): { qmin: number; qmax: number } {
  const b = bitWidth(bits);
  if (signed) {
    const half = 2 ** (b - 1);
    return { qmin: narrowRange ? -half + 1 : -half, qmax: half - 1 };
  }
  return { qmin: 0, qmax: 2 ** b - 1 - (narrowRange ? 1 : 0) };
}

/** A grid spec with its defaults filled in and its limits computed. */
export interface ResolvedGrid {
  readonly bits: BitWidth;
  readonly scheme: Scheme;
  readonly signed: boolean;
  readonly narrowRange: boolean;
  readonly qmin: number;
  readonly qmax: number;
}

/**
 * Fills the defaults: asymmetric grids are unsigned (paper Eq. 4), symmetric and power-of-two
 * grids signed (Eq. 8c) unless `signed: false` asks for the unsigned grid of Eq. 8b.
 */
export function resolveGrid(spec: GridSpec): ResolvedGrid {
  const signed = spec.signed ?? spec.scheme !== 'asymmetric';
  const narrowRange = spec.narrowRange ?? false;
  const { qmin, qmax } = intGrid(spec.bits, signed, narrowRange);
  return { bits: bitWidth(spec.bits), scheme: spec.scheme, signed, narrowRange, qmin, qmax };
}
