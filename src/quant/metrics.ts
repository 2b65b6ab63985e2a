/**
 * Error metrics and histograms for the playground's charts (pure; charts only draw).
 * SQNR uses one convention everywhere: 10·log10(Σx² / Σ(x - x̂)²) in dB.
 */
import { quantError } from './errors';
import type { Encoding } from './types';

/** Equal-width bins over [min, max]; counts may be fractional after re-binning. */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly counts: Float64Array;
  /** Values below min / above max (not in counts). */
  readonly underflow: number;
  readonly overflow: number;
}

/**
 * Signal-to-quantization-noise ratio in dB. +Infinity when the noise is 0 (also for an all-zero
 * signal), -Infinity for a zero signal with noise.
 * @example sqnrDb([1, -1], [0.9, -0.9]) = 10·log10(2 / 0.02) = 20
 */
export function sqnrDb(x: ArrayLike<number>, xq: ArrayLike<number>): number {
  checkLengths(x, xq);
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const d = v - (xq[i] as number);
    signal += v * v;
    noise += d * d;
  }
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}

/** Mean squared error (1/n)·Σ(x - x̂)²; 0 for empty inputs. @example mse([1, 2], [1, 4]) === 2 */
export function mse(x: ArrayLike<number>, xq: ArrayLike<number>): number {
  checkLengths(x, xq);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] as number) - (xq[i] as number);
    sum += d * d;
  }
  return x.length === 0 ? 0 : sum / x.length;
}

/**
 * Splits Σ(x - x̂)² into clipping error (x outside [enc.min, enc.max]) and rounding error
 * (inside, each term at most (s/2)²), the trade-off of paper Sec. 2.2.
 * @example x = [0.1, 5], range [0, 1], x̂ = [0.1 ± ≤s/2, 1] -> clipping = 16
 */
export function errorParts(
  x: ArrayLike<number>,
  xq: ArrayLike<number>,
  enc: Pick<Encoding, 'min' | 'max'>,
): { rounding: number; clipping: number } {
  checkLengths(x, xq);
  let rounding = 0;
  let clipping = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const d = v - (xq[i] as number);
    if (v < enc.min || v > enc.max) clipping += d * d;
    else rounding += d * d;
  }
  return { rounding, clipping };
}

/**
 * Counts values into `bins` equal bins over [min, max] (default: the data's min-max); the last
 * bin includes max. NaN is ignored.
 * @example histogram([0, 0.4, 1], { bins: 2 }).counts -> [2, 1]
 */
export function histogram(
  data: ArrayLike<number>,
  options: { bins?: number; min?: number; max?: number } = {},
): Histogram {
  const bins = options.bins ?? 64;
  if (!Number.isInteger(bins) || bins < 1) {
    throw quantError('OPTION', { name: 'bins', value: bins, expected: 'an integer >= 1' });
  }
  let min = options.min ?? Infinity;
  let max = options.max ?? -Infinity;
  if (options.min === undefined || options.max === undefined) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (options.min === undefined && v < min) min = v;
      if (options.max === undefined && v > max) max = v;
    }
  }
  if (!(min <= max)) min = max = 0;
  const counts = new Float64Array(bins);
  const width = (max - min) / bins;
  let underflow = 0;
  let overflow = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < min) underflow++;
    else if (v > max) overflow++;
    else if (v >= min) {
      const b = width > 0 ? Math.min(Math.floor((v - min) / width), bins - 1) : 0;
      counts[b] = (counts[b] ?? 0) + 1;
    }
  }
  return { min, max, counts, underflow, overflow };
}

/** Left edges plus the final right edge of a histogram's bins (bins + 1 values). */
export function binEdges(h: Pick<Histogram, 'min' | 'max' | 'counts'>): Float64Array {
  const n = h.counts.length;
  return Float64Array.from({ length: n + 1 }, (_, i) => h.min + ((h.max - h.min) * i) / n);
}

/**
 * The representable values s(q - z) for q in [qmin, qmax] that fall in [from, to] (default
 * the whole grid), at most `limit` of them (evenly thinned), for drawing the grid over a
 * histogram. The clipping thresholds are enc.min and enc.max.
 * @example gridPoints(2-bit unsigned, s = 1, z = 0) -> [0, 1, 2, 3]
 */
export function gridPoints(
  enc: Encoding,
  options: { from?: number; to?: number; limit?: number } = {},
): Float64Array {
  const { scale: s, zeroPoint: z } = enc;
  const lo = Math.max(enc.qmin, Math.ceil((options.from ?? -Infinity) / s + z));
  const hi = Math.min(enc.qmax, Math.floor((options.to ?? Infinity) / s + z));
  const count = Math.max(0, hi - lo + 1);
  const step = Math.max(1, Math.ceil(count / (options.limit ?? 4096)));
  const out = new Float64Array(Math.ceil(count / step));
  for (let j = 0; j < out.length; j++) out[j] = Math.fround((lo + j * step - z) * s);
  return out;
}

function checkLengths(x: ArrayLike<number>, xq: ArrayLike<number>): void {
  if (x.length !== xq.length) {
    throw quantError('LENGTH', { what: 'Quantized tensor', expected: x.length, actual: xq.length });
  }
}
