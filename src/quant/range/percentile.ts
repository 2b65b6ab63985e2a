/**
 * Percentile range setting (paper Sec. 3.1 mentions it beside min-max; e.g. 99.99 for
 * activations): clip at the p-th percentile at the top and the (100 - p)-th at the bottom,
 * so a few outliers stop inflating the rounding error.
 */
import { quantError } from '../errors';
import { gatherChannel } from '../granularity';
import type { Histogram } from '../metrics';
import type { ChannelLayout, ClipRange } from '../types';

function checkPercentile(p: number): void {
  if (!(p >= 50 && p <= 100)) {
    throw quantError('OPTION', { name: 'percentile', value: p, expected: 'a number in [50, 100]' });
  }
}

/** Quantile q in [0, 1] of sorted values, linear between order statistics (numpy default). */
function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const a = sorted[i] as number;
  const b = sorted[Math.min(i + 1, sorted.length - 1)] as number;
  return a + (b - a) * (pos - i);
}

/**
 * [P_(100-p), P_p] of the values (NaN skipped).
 * @example percentileRange([0, 1, ..., 100], 99) -> { min: 1, max: 99 }
 */
export function percentileRange(data: ArrayLike<number>, p: number): ClipRange {
  checkPercentile(p);
  const sorted = Float64Array.from(data)
    .filter((v) => !Number.isNaN(v))
    .sort();
  if (sorted.length === 0) throw quantError('EMPTY', { what: 'Tensor' });
  return { min: quantileSorted(sorted, (100 - p) / 100), max: quantileSorted(sorted, p / 100) };
}

/** percentileRange for each channel of `layout`. */
export function percentileRanges(
  data: ArrayLike<number>,
  layout: ChannelLayout,
  p: number,
): ClipRange[] {
  const scratch = new Float32Array(data.length / layout.channels);
  return Array.from({ length: layout.channels }, (_, c) =>
    percentileRange(gatherChannel(data, layout, c, scratch), p),
  );
}

/** Value below which a fraction q of the histogram's mass lies (uniform within a bin). */
function quantileHistogram(h: Histogram, q: number, total: number): number {
  const target = q * total;
  const width = (h.max - h.min) / h.counts.length;
  let seen = 0;
  for (let b = 0; b < h.counts.length; b++) {
    const c = h.counts[b] as number;
    if (c > 0 && seen + c >= target) return h.min + (b + (target - seen) / c) * width;
    seen += c;
  }
  return h.max;
}

/** Percentile range from a histogram (many calibration batches, HistogramObserver). */
export function percentileRangeFromHistogram(h: Histogram, p: number): ClipRange {
  checkPercentile(p);
  const total = h.counts.reduce((s, c) => s + c, 0);
  if (total === 0) throw quantError('EMPTY', { what: 'Histogram' });
  return {
    min: quantileHistogram(h, (100 - p) / 100, total),
    max: quantileHistogram(h, p / 100, total),
  };
}
