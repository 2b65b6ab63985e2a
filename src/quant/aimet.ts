/**
 * Export to AIMET's encodings file layout (quic/aimet, encoding format 0.6.1): one entry per
 * tensor, or one per output channel.
 */
import type { Encodings } from './types';

/** One AIMET encoding entry. AIMET writes is_symmetric as the strings "True" / "False". */
export interface AimetEncoding {
  readonly bitwidth: number;
  readonly dtype: 'int';
  readonly is_symmetric: 'True' | 'False';
  readonly max: number;
  readonly min: number;
  readonly offset: number;
  readonly scale: number;
}

/**
 * AIMET always counts codes on the unsigned grid 0..2^b-1 and dequantizes as s·(code + offset).
 * Our code q on [qmin, qmax] is AIMET's code q - qmin, so offset = qmin - z: -z for unsigned
 * grids (AIMET's "offset = -zero_point") and -2^(b-1) for signed symmetric, as AIMET writes it.
 * @example asymmetric 8-bit on [-1, 3] (s = 0.0156862754, z = 64) -> offset -64;
 *   signed symmetric 8-bit -> offset -128
 */
export function toAimetEncodings(encs: Encodings): AimetEncoding[] {
  const out: AimetEncoding[] = [];
  for (let c = 0; c < encs.scale.length; c++) {
    out.push({
      bitwidth: encs.bitwidth,
      dtype: 'int',
      is_symmetric: encs.isSymmetric ? 'True' : 'False',
      max: encs.max[c] ?? 0,
      min: encs.min[c] ?? 0,
      offset: encs.qmin - (encs.zeroPoint[c] ?? 0),
      scale: encs.scale[c] ?? 0,
    });
  }
  return out;
}
