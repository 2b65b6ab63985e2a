/**
 * Histogram observer: keeps a fixed number of equal bins over the running [min, max] of all
 * calibration batches, so percentile and MSE ranges (paper Sec. 3.1) can be chosen from many
 * batches without keeping them. When a batch widens the range, the old counts are re-binned
 * onto the wider bins in proportion to overlap (mass assumed uniform within a bin).
 */
import { quantError } from '../errors';
import { histogram, type Histogram } from '../metrics';
import type { ClipRange } from '../types';
import { minMaxRange } from './minMax';
import type { Observer } from './observers';

export const DEFAULT_HISTOGRAM_BINS = 2048;

/** Re-bins `h` onto `bins` equal bins over [min, max] ⊇ [h.min, h.max]. */
export function rebin(h: Histogram, min: number, max: number, bins: number): Float64Array {
  if (h.min === min && h.max === max && h.counts.length === bins) return h.counts.slice();
  const out = new Float64Array(bins);
  const width = (max - min) / bins;
  const binOf = (v: number) => (width > 0 ? Math.min(Math.floor((v - min) / width), bins - 1) : 0);
  const oldWidth = (h.max - h.min) / h.counts.length;
  h.counts.forEach((c, b) => {
    if (c === 0) return;
    const a = h.min + b * oldWidth;
    const e = a + oldWidth;
    if (!(oldWidth > 0)) {
      out[binOf(a)] = (out[binOf(a)] ?? 0) + c;
      return;
    }
    for (let j = binOf(a); j <= binOf(e); j++) {
      const overlap = Math.min(e, min + (j + 1) * width) - Math.max(a, min + j * width);
      if (overlap > 0) out[j] = (out[j] ?? 0) + (c * overlap) / oldWidth;
    }
  });
  return out;
}

/**
 * @example const o = new HistogramObserver(4); o.observe([0, 1]); o.observe([3]);
 *   o.histogram().counts -> [1, 1, 0, 1] over [0, 3] (the first batch re-binned)
 */
export class HistogramObserver implements Observer {
  private hist: Histogram | null = null;
  batches = 0;
  constructor(readonly bins = DEFAULT_HISTOGRAM_BINS) {
    if (!Number.isInteger(bins) || bins < 1) {
      throw quantError('OPTION', { name: 'bins', value: bins, expected: 'an integer >= 1' });
    }
  }
  observe(batch: ArrayLike<number>): void {
    const r = minMaxRange(batch);
    this.add(histogram(batch, { bins: this.bins, ...this.widened(r) }));
    this.batches++;
  }
  /** Folds another histogram observer's counts in. */
  merge(other: HistogramObserver): void {
    if (other.hist === null) return;
    this.add(other.hist);
    this.batches += other.batches;
  }
  ranges(): ClipRange[] {
    const h = this.histogram();
    return [{ min: h.min, max: h.max }];
  }
  /** A copy of the collected histogram; throws if nothing was observed. */
  histogram(): Histogram {
    if (this.hist === null) throw quantError('EMPTY', { what: 'Observer' });
    return { ...this.hist, counts: this.hist.counts.slice() };
  }
  reset(): void {
    this.hist = null;
    this.batches = 0;
  }
  private widened(r: ClipRange): ClipRange {
    const h = this.hist;
    return h === null ? r : { min: Math.min(h.min, r.min), max: Math.max(h.max, r.max) };
  }
  private add(h: Histogram): void {
    const { min, max } = this.widened(h);
    const counts = rebin(h, min, max, this.bins);
    if (this.hist !== null) {
      rebin(this.hist, min, max, this.bins).forEach((c, j) => (counts[j] = (counts[j] ?? 0) + c));
    }
    this.hist = { min, max, counts, underflow: 0, overflow: 0 };
  }
}
