import { describe, expect, it } from 'vitest';
import { DEFAULT_ACTIVATIONS, DEFAULT_CONFIG, DEFAULT_WEIGHTS } from './defaults';
import { slotChoice, toQuantizerSpec, weightSpec } from './slotSpec';

describe('slot specs from the config', () => {
  it('uses the node override, then the layer override, then the global choice', () => {
    const w4 = { ...DEFAULT_WEIGHTS, bits: 4 };
    const config = {
      ...DEFAULT_CONFIG,
      overrides: { conv1: { weights: w4 }, dense: { activations: 'fp32' as const } },
    };
    expect(slotChoice(config, { node: 'conv1', layer: 'conv1' }, 'weights')).toBe(w4);
    expect(slotChoice(config, { node: 'dense_fused', layer: 'dense' }, 'activations')).toBe('fp32');
    expect(slotChoice(config, { node: 'conv2', layer: 'conv2' }, 'activations')).toBe(
      DEFAULT_ACTIVATIONS,
    );
  });

  it('turns a choice into a quant spec; weights fall back from data-free ranges to min-max', () => {
    expect(
      toQuantizerSpec({ ...DEFAULT_ACTIVATIONS, range: 'percentile', percentile: 99.9 }),
    ).toEqual({
      bits: 8,
      scheme: 'asymmetric',
      granularity: 'per-tensor',
      narrowRange: false,
      range: { method: 'percentile', percentile: 99.9 },
    });
    expect(weightSpec('fp32')).toBeNull();
    expect(weightSpec({ ...DEFAULT_WEIGHTS, range: 'bn' })?.range).toEqual({ method: 'min-max' });
    expect(weightSpec({ ...DEFAULT_WEIGHTS, range: 'mse' })?.range).toEqual({ method: 'mse' });
  });
});
