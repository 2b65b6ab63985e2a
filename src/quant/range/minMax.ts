/** Min-max range setting (paper Eq. 14-15): no clipping error, but sensitive to outliers. */
import { quantError } from '../errors';
import { perChannelMinMax } from '../granularity';
import type { ChannelLayout, ClipRange } from '../types';

/**
 * q_min = min V, q_max = max V over the whole tensor (NaN skipped).
 * @example minMaxRange(Float32Array.of(-1, 0.5, 3)) -> { min: -1, max: 3 }
 */
export function minMaxRange(data: ArrayLike<number>): ClipRange {
  if (data.length === 0) throw quantError('EMPTY', { what: 'Tensor' });
  const [range] = perChannelMinMax(data, { channels: 1, inner: 1 });
  return range ?? { min: 0, max: 0 };
}

/** Min-max per channel of `layout` (weights per output channel, paper Sec. 2.2.3). */
export function minMaxRanges(data: ArrayLike<number>, layout: ChannelLayout): ClipRange[] {
  return perChannelMinMax(data, layout);
}
