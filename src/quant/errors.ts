/**
 * Coded, value-naming errors for the quantization math (the same pattern as config/errors.ts,
 * which quant/ may not import). Every message names the offending value so a caller can show it.
 */

export const quantErrorMessages = {
  BIT_WIDTH: (p: { value: unknown }) =>
    `Bit-width must be an integer from 2 to 16; got ${String(p.value)}.`,
  SCALE: (p: { value: unknown }) => `Scale must be a finite number > 0; got ${String(p.value)}.`,
  ZERO_POINT: (p: { value: unknown; qmin: number; qmax: number }) =>
    `Zero-point must be an integer in [${p.qmin}, ${p.qmax}]; got ${String(p.value)}.`,
  RANGE: (p: { min: number; max: number }) =>
    `Clipping range must be finite with min <= max; got [${p.min}, ${p.max}].`,
  EMPTY: (p: { what: string }) => `${p.what} is empty; at least one value is needed.`,
  LAYOUT: (p: { length: number; channels: number; inner: number }) =>
    `A tensor of ${p.length} values cannot be split into ${p.channels} channels of stride ${p.inner}.`,
  CHANNEL: (p: { channel: number; channels: number }) =>
    `Channel ${p.channel} does not exist; the encodings have ${p.channels} channels.`,
  AXIS: (p: { axis: number; rank: number }) =>
    `Channel axis ${p.axis} is out of range for a tensor of rank ${p.rank}.`,
  SHAPE: (p: { shape: readonly number[]; expected: string }) =>
    `Shape [${p.shape.join(', ')}] is not valid here; expected ${p.expected}.`,
  LENGTH: (p: { what: string; expected: number; actual: number }) =>
    `${p.what} has ${p.actual} values; expected ${p.expected}.`,
  OPTION: (p: { name: string; value: unknown; expected: string }) =>
    `Option ${p.name} = ${String(p.value)} is not valid; expected ${p.expected}.`,
  MISSING_INPUT: (p: { method: string; needs: string }) =>
    `Range method "${p.method}" needs ${p.needs}.`,
} as const;

export type QuantErrorCode = keyof typeof quantErrorMessages;
export type QuantErrorParams<C extends QuantErrorCode> = Parameters<
  (typeof quantErrorMessages)[C]
>[0];

/** An error from quant/: a stable code for tests and a message naming the fault. */
export class QuantError extends Error {
  readonly code: QuantErrorCode;
  constructor(code: QuantErrorCode, message: string) {
    super(message);
    this.name = 'QuantError';
    this.code = code;
  }
}

/** Builds a QuantError from its code and the values its message names. */
export function quantError<C extends QuantErrorCode>(
  code: C,
  params: QuantErrorParams<C>,
): QuantError {
  const format = quantErrorMessages[code] as (p: QuantErrorParams<C>) => string;
  return new QuantError(code, format(params));
}
