import { describe, expect, it } from 'vitest';
import { fakeQuant } from './affine';
import { layoutForKernel } from './granularity';
import { MinMaxObserver } from './range/observers';
import { HistogramObserver } from './range/histogramObserver';
import { estimateRanges, resolveEncodings, resolveQuantizer } from './resolve';
import { normalizeSpec, PAPER_ACTIVATION_SPEC, PAPER_WEIGHT_SPEC } from './spec';
import { normalTensor, sumSquaredDiff } from './testData';

describe('resolve', () => {
  it('fills defaults', () => {
    expect(normalizeSpec({ bits: 8, scheme: 'asymmetric' })).toEqual({
      bits: 8,
      scheme: 'asymmetric',
      signed: false,
      narrowRange: false,
      granularity: 'per-tensor',
      range: { method: 'min-max' },
      rounding: 'nearest',
    });
    expect(() => normalizeSpec({ bits: 20, scheme: 'symmetric' })).toThrow('got 20');
    expect(normalizeSpec(PAPER_WEIGHT_SPEC)).toEqual(PAPER_WEIGHT_SPEC);
    expect(PAPER_ACTIVATION_SPEC).toMatchObject({
      scheme: 'asymmetric',
      granularity: 'per-tensor',
    });
  });

  it('spec + data -> encodings + fake-quant (per-tensor worked example)', () => {
    const x = Float32Array.of(-1, 0, 0.5, 3);
    const q = resolveQuantizer({ bits: 8, scheme: 'asymmetric' }, { data: x });
    expect(q.encodings.scale[0]).toBe(0.01568627543747425); // 4/255
    expect(q.encodings.zeroPoint[0]).toBe(64);
    expect(Array.from(q.quantize(x))).toEqual([0, 64, 96, 255]);
    expect(Array.from(q.dequantize(q.quantize(x)))).toEqual(Array.from(q.fakeQuant(x)));
    expect(q.fakeQuant(x, x)).toBe(x); // in place
  });

  it('per-channel weights of a Conv2D kernel', () => {
    const shape = [3, 3, 4, 8];
    const w = normalTensor(5, 3 * 3 * 4 * 8);
    const spec = { bits: 4, scheme: 'symmetric', granularity: 'per-channel' } as const;
    const encs = resolveEncodings(spec, { data: w, shape });
    expect(encs.granularity).toBe('per-channel');
    expect(encs.scale.length).toBe(8);
    const dw = resolveEncodings(spec, {
      data: w.subarray(0, 3 * 3 * 4 * 2),
      layout: layoutForKernel('depthwise-conv2d', [3, 3, 4, 2]),
    });
    expect(dw.scale.length).toBe(8);
    expect(() => resolveEncodings(spec, { data: w })).toThrow('needs a layout or a shape');
  });

  it('every range method resolves, MSE beating min-max at 4 bits', () => {
    const x = Float32Array.from([...normalTensor(1, 5000), 12]);
    const err = (method: Parameters<typeof resolveEncodings>[0]['range']) => {
      const encs = resolveEncodings(
        { bits: 4, scheme: 'asymmetric', ...(method ? { range: method } : {}) },
        { data: x, shape: [x.length] },
      );
      return sumSquaredDiff(x, fakeQuant(x, encs));
    };
    expect(err({ method: 'mse' })).toBeLessThan(err({ method: 'min-max' }));
    expect(err({ method: 'percentile', percentile: 99.9 })).toBeLessThan(
      err({ method: 'min-max' }),
    );
    expect(err({ method: 'moving-average' })).toBe(err({ method: 'min-max' }));
    const logits = normalTensor(2, 40);
    expect(
      estimateRanges(
        { bits: 4, scheme: 'asymmetric', range: { method: 'cross-entropy' } },
        { data: logits, shape: [4, 10] },
      ),
    ).toHaveLength(1);
    const bn = { beta: [0, 1], gamma: [1, 0.5] };
    const bnSpec = { bits: 8, scheme: 'asymmetric', range: { method: 'bn' } } as const;
    expect(estimateRanges(bnSpec, { bn })).toEqual([{ min: -6, max: 6 }]);
    expect(() => estimateRanges(bnSpec, {})).toThrow('needs bn');
  });

  it('uses observer statistics when no data is given', () => {
    const mm = new MinMaxObserver();
    mm.observe([-1, 2]);
    mm.observe([3]);
    const spec = { bits: 8, scheme: 'asymmetric' } as const;
    expect(estimateRanges(spec, { observed: { ranges: mm.ranges() } })).toEqual([
      { min: -1, max: 3 },
    ]);
    const h = new HistogramObserver();
    h.observe(normalTensor(3, 5000));
    const r = estimateRanges(
      { ...spec, range: { method: 'percentile', percentile: 99 } },
      { observed: { histogram: h.histogram() } },
    );
    expect(r[0]?.max).toBeCloseTo(2.33, 0);
    expect(() => estimateRanges({ ...spec, range: { method: 'mse' } }, {})).toThrow(
      '"mse" needs data',
    );
  });
});
