import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakeQuant } from './affine';
import { encodingsFromRanges } from './encodings';
import {
  gatherChannel,
  layoutForAxis,
  layoutForKernel,
  perChannelMinMax,
  spans,
} from './granularity';
import { minMaxRange } from './range/minMax';
import { normalTensor, sumSquaredDiff } from './testData';
import type { GridSpec } from './types';

describe('channel layouts', () => {
  it('puts the output channel on the last axis for Dense, Conv2D and NHWC activations', () => {
    expect(layoutForKernel('dense', [784, 10])).toEqual({ channels: 10, inner: 1 });
    expect(layoutForKernel('conv2d', [3, 3, 8, 16])).toEqual({ channels: 16, inner: 1 });
    expect(layoutForKernel('activation', [32, 28, 28, 4])).toEqual({ channels: 4, inner: 1 });
  });

  it('flattens in·mult for DepthwiseConv2D [kh, kw, in, mult]', () => {
    expect(layoutForKernel('depthwise-conv2d', [3, 3, 8, 2])).toEqual({ channels: 16, inner: 1 });
    expect(() => layoutForKernel('depthwise-conv2d', [3, 3, 8])).toThrow('[3, 3, 8]');
    expect(() => layoutForKernel('dense', [3, 3, 8])).toThrow('rank 2');
  });

  it('handles any axis, negative axes, and rejects bad ones', () => {
    expect(layoutForAxis([2, 3, 4], 1)).toEqual({ channels: 3, inner: 4 });
    expect(layoutForAxis([2, 3, 4], -3)).toEqual({ channels: 2, inner: 12 });
    expect(() => layoutForAxis([2, 3], 2)).toThrow('Channel axis 2 is out of range');
    expect(() => spans(7, { channels: 2, inner: 1 })).toThrow('7 values');
  });

  it('finds per-channel min/max and gathers channels (channel = index % C)', () => {
    // [[1, -2], [3, 4]] as [in=2, out=2]: channel 0 = {1, 3}, channel 1 = {-2, 4}
    const w = Float32Array.of(1, -2, 3, 4);
    expect(perChannelMinMax(w, { channels: 2, inner: 1 })).toEqual([
      { min: 1, max: 3 },
      { min: -2, max: 4 },
    ]);
    expect(Array.from(gatherChannel(w, { channels: 2, inner: 1 }, 1))).toEqual([-2, 4]);
    // axis 0 of [2, 2]: channel 0 = {1, -2}
    expect(Array.from(gatherChannel(w, { channels: 2, inner: 2 }, 0))).toEqual([1, -2]);
  });
});

describe('per-channel quantization', () => {
  it('equals quantizing each channel on its own', () => {
    const layout = { channels: 3, inner: 2 };
    const x = normalTensor(1, 5 * 3 * 2);
    const spec: GridSpec = { bits: 4, scheme: 'asymmetric' };
    const ranges = perChannelMinMax(x, layout);
    const all = fakeQuant(x, encodingsFromRanges(ranges, spec, layout));
    ranges.forEach((r, c) => {
      const alone = fakeQuant(gatherChannel(x, layout, c), encodingsFromRanges([r], spec));
      expect(Array.from(gatherChannel(all, layout, c))).toEqual(Array.from(alone));
    });
  });

  it('has no more error than per-tensor when channel ranges differ (paper Sec. 2.2.3)', () => {
    // Grids of different scales are not nested, so this is statistical: 256 values per channel
    // and channel scales spread over 4x..1/4x keep it far from a tie.
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 3, max: 8 }),
        fc.constantFrom('asymmetric', 'symmetric' as const),
        (seed, channels, bits, scheme) => {
          const layout = { channels, inner: 1 };
          const x = normalTensor(seed, 256 * channels);
          for (let i = 0; i < x.length; i++)
            x[i] = (x[i] as number) * 4 ** (((i % channels) / (channels - 1)) * 2 - 1);
          const spec: GridSpec = { bits, scheme };
          const perChannel = fakeQuant(
            x,
            encodingsFromRanges(perChannelMinMax(x, layout), spec, layout),
          );
          const perTensor = fakeQuant(x, encodingsFromRanges([minMaxRange(x)], spec));
          expect(sumSquaredDiff(x, perChannel)).toBeLessThanOrEqual(sumSquaredDiff(x, perTensor));
        },
      ),
      { numRuns: 50 },
    );
  });
});
