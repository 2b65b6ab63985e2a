/**
 * AIMET's encodings file layout (quic/aimet, encoding format 0.6.1): one entry per tensor, or
 * one per output channel. `toAimetEncodings` writes it; `fromAimetEncodings` reads it back.
 */
import { makeEncoding, packEncodings } from './encodings';
import { quantError } from './errors';
import { MAX_BITS, MIN_BITS, resolveGrid } from './grid';
import type { Encoding, Encodings, Scheme } from './types';

const f32 = Math.fround;

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

/**
 * What AIMET's entries cannot say. AIMET's unsigned codes with an offset describe the same real
 * grid whether our codes are signed or not, and a symmetric scale that is a power of two may or
 * may not be one by design (paper 2.2.2), so these only relabel the grid.
 */
export interface AimetGridHint {
  /** Default: 'asymmetric' or 'symmetric' as is_symmetric says. */
  readonly scheme?: Scheme;
  /** Signed codes for an asymmetric grid (default unsigned, as resolveGrid's default). */
  readonly signed?: boolean;
}

/** How far (in steps) a stored min / max may sit from s·offset, s·(offset + codes − 1). */
const STEP_TOLERANCE = 0.05;

/**
 * The inverse of `toAimetEncodings`: entries (one per channel, or one) back to Encodings with
 * layout { channels: entries.length, inner: 1 } (the output channel last, as every kernel and
 * activation layout here). The grid is read from the entries: z = qmin − offset; symmetric
 * entries have z = 0, so offset < 0 means signed codes (qmin = offset) and 0 unsigned; narrow
 * range shows as one code fewer between min and max. Every fault names the entry and field.
 * @example fromAimetEncodings([{ bitwidth: 8, dtype: 'int', is_symmetric: 'False',
 *   scale: 0.01568627543747425, offset: -64, min: -1.0039215, max: 2.9960785 }])
 *   -> 8-bit asymmetric unsigned, qmin 0, qmax 255, zeroPoint [64]
 */
export function fromAimetEncodings(
  entries: readonly AimetEncoding[],
  hint: AimetGridHint = {},
): Encodings {
  const fault = (c: number, field: string, value: unknown, expected: string) =>
    quantError('OPTION', { name: `[${c}].${field}`, value, expected });
  const first = entries[0];
  if (!first) throw quantError('EMPTY', { what: 'AIMET encodings' });
  const bits = first.bitwidth;
  if (!Number.isInteger(bits) || bits < MIN_BITS || bits > MAX_BITS)
    throw fault(0, 'bitwidth', bits, `an integer from ${MIN_BITS} to ${MAX_BITS}`);
  const symmetric = first.is_symmetric === 'True';
  if (!symmetric && first.is_symmetric !== 'False')
    throw fault(0, 'is_symmetric', first.is_symmetric, '"True" or "False"');
  const scheme = hint.scheme ?? (symmetric ? 'symmetric' : 'asymmetric');
  if ((scheme !== 'asymmetric') !== symmetric)
    throw fault(0, 'is_symmetric', first.is_symmetric, `the value a ${scheme} grid has`);
  if (!(f32(first.scale) > 0 && Number.isFinite(f32(first.scale))))
    throw fault(0, 'scale', first.scale, 'a finite float32 number > 0');
  const codes = codeCount(first, bits);
  if (codes === null) throw fault(0, 'max', first.max, `min + scale·(2^${bits} − 1 or − 2)`);
  const grid = resolveGrid({
    bits,
    scheme,
    signed: symmetric ? first.offset < 0 : (hint.signed ?? false),
    narrowRange: codes === 2 ** bits - 1,
  });
  const channels: Encoding[] = entries.map((e, c) => {
    if (e.bitwidth !== bits) throw fault(c, 'bitwidth', e.bitwidth, `${bits}, as entry 0`);
    if (e.is_symmetric !== first.is_symmetric)
      throw fault(c, 'is_symmetric', e.is_symmetric, `"${first.is_symmetric}", as entry 0`);
    if ((e.dtype as string) !== 'int') throw fault(c, 'dtype', e.dtype, '"int"');
    const s = f32(e.scale);
    if (!(Number.isFinite(s) && s > 0))
      throw fault(c, 'scale', e.scale, 'a finite float32 number > 0');
    if (scheme === 'power-of-two' && 2 ** Math.round(Math.log2(s)) !== s)
      throw fault(c, 'scale', e.scale, 'a power of two (power-of-two grid)');
    const z = grid.qmin - e.offset;
    if (!Number.isInteger(e.offset) || z < grid.qmin || z > grid.qmax || (symmetric && z !== 0))
      throw fault(c, 'offset', e.offset, offsetRule(grid.qmin, grid.qmax, symmetric));
    const enc = makeEncoding(grid, s, z);
    if (!near(e.min, enc.min, s))
      throw fault(c, 'min', e.min, `scale·offset = ${enc.min} (within ${STEP_TOLERANCE} step)`);
    if (!near(e.max, enc.max, s))
      throw fault(c, 'max', e.max, `scale·(offset + ${codes - 1}) = ${enc.max}`);
    return enc;
  });
  return packEncodings(grid, channels, { channels: channels.length, inner: 1 });
}

/** Codes between min and max (2^b full range, 2^b − 1 narrow), or null if neither. */
function codeCount(e: AimetEncoding, bits: number): number | null {
  const span = (e.max - e.min) / e.scale;
  const n = Math.round(span) + 1;
  const ok = Math.abs(span - Math.round(span)) <= STEP_TOLERANCE;
  return ok && (n === 2 ** bits || n === 2 ** bits - 1) ? n : null;
}

function near(stored: number, expected: number, scale: number): boolean {
  return Number.isFinite(stored) && Math.abs(stored - expected) <= STEP_TOLERANCE * scale;
}

function offsetRule(qmin: number, qmax: number, symmetric: boolean): string {
  return symmetric
    ? `${qmin} (a symmetric grid has zero point 0, so offset = qmin)`
    : `an integer with qmin − offset (the zero point) in [${qmin}, ${qmax}]`;
}
