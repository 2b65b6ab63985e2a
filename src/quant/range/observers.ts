/**
 * Observers collect activation statistics over calibration batches (paper Sec. 3.1: "a few
 * batches of calibration data"), as AIMET's and torch's observers do: observe / merge / reset,
 * then ranges() gives one clipping range per channel (one per tensor by default).
 */
import { PER_TENSOR } from '../encodings';
import { quantError } from '../errors';
import { perChannelMinMax } from '../granularity';
import type { ChannelLayout, ClipRange } from '../types';

export interface Observer {
  /** Adds one batch (row-major, any number of outer rows for per-channel layouts). */
  observe(batch: ArrayLike<number>): void;
  /** One range per channel; throws if nothing was observed. */
  ranges(): ClipRange[];
  /** Forgets everything observed. */
  reset(): void;
  /** Batches observed since the last reset. */
  readonly batches: number;
}

/** torch.ao.quantization.MovingAverageMinMaxObserver's default averaging constant. */
export const DEFAULT_AVERAGING_CONSTANT = 0.01;

abstract class MinMaxBase implements Observer {
  protected readonly lo: Float32Array;
  protected readonly hi: Float32Array;
  batches = 0;
  constructor(readonly layout: ChannelLayout = PER_TENSOR) {
    this.lo = new Float32Array(layout.channels);
    this.hi = new Float32Array(layout.channels);
  }
  observe(batch: ArrayLike<number>): void {
    const current = perChannelMinMax(batch, this.layout);
    current.forEach((r, c) => this.update(c, r));
    this.batches++;
  }
  protected abstract update(c: number, batch: ClipRange): void;
  ranges(): ClipRange[] {
    if (this.batches === 0) throw quantError('EMPTY', { what: 'Observer' });
    return Array.from(this.lo, (min, c) => ({ min, max: this.hi[c] as number }));
  }
  reset(): void {
    this.batches = 0;
    this.lo.fill(0);
    this.hi.fill(0);
  }
}

/**
 * Running min and max over all batches (torch MinMaxObserver; paper Eq. 14-15).
 * @example observe([-1, 2]); observe([0, 3]) -> ranges() = [{ min: -1, max: 3 }]
 */
export class MinMaxObserver extends MinMaxBase {
  protected update(c: number, r: ClipRange): void {
    const first = this.batches === 0;
    this.lo[c] = first ? r.min : Math.min(this.lo[c] as number, r.min);
    this.hi[c] = first ? r.max : Math.max(this.hi[c] as number, r.max);
  }
  /** Folds another observer's statistics in (e.g. from another worker). */
  merge(other: MinMaxObserver): void {
    if (other.layout.channels !== this.layout.channels) {
      throw quantError('LENGTH', {
        what: 'Merged observer',
        expected: this.layout.channels,
        actual: other.layout.channels,
      });
    }
    if (other.batches === 0) return;
    other.ranges().forEach((r, c) => this.update(c, r));
    this.batches += other.batches;
  }
}

/**
 * Exponential moving average of batch min/max (torch MovingAverageMinMaxObserver): the first
 * batch sets the range, then min ← min + c·(batch_min - min), likewise max, in float32.
 * Not mergeable: the average depends on batch order.
 * @example c = 0.01: observe([-1, 1]); observe([-2, 3]) -> [{ min: -1.01, max: 1.02 }]
 */
export class MovingAverageMinMaxObserver extends MinMaxBase {
  readonly averagingConstant: number;
  constructor(layout: ChannelLayout = PER_TENSOR, averagingConstant = DEFAULT_AVERAGING_CONSTANT) {
    super(layout);
    if (!(averagingConstant > 0 && averagingConstant <= 1)) {
      throw quantError('OPTION', {
        name: 'averagingConstant',
        value: averagingConstant,
        expected: 'a number in (0, 1]',
      });
    }
    this.averagingConstant = averagingConstant;
  }
  protected update(c: number, r: ClipRange): void {
    const f32 = Math.fround;
    const k = f32(this.averagingConstant);
    const lo = this.lo[c] as number;
    const hi = this.hi[c] as number;
    this.lo[c] = this.batches === 0 ? r.min : f32(lo + f32(k * f32(r.min - lo)));
    this.hi[c] = this.batches === 0 ? r.max : f32(hi + f32(k * f32(r.max - hi)));
  }
}
