import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_WEIGHTS, STANDARD_ADAROUND_ITERATIONS } from './defaults';
import { standardPtqConfig } from './ptqPreset';

describe('standard PTQ pipeline preset (paper 3.5)', () => {
  it('uses CLE only where it matters: depthwise layers or per-tensor weights', () => {
    const pc = standardPtqConfig(DEFAULT_CONFIG, { hasDepthwise: false });
    expect(pc.ptq).toEqual({
      cle: false,
      biasAbsorption: false,
      adaround: STANDARD_ADAROUND_ITERATIONS,
      biasCorrection: 'empirical',
    });
    expect(standardPtqConfig(DEFAULT_CONFIG, { hasDepthwise: true }).ptq.cle).toBe(true);
    const perTensor = {
      ...DEFAULT_CONFIG,
      weights: { ...DEFAULT_WEIGHTS, granularity: 'per-tensor' as const },
    };
    expect(standardPtqConfig(perTensor, { hasDepthwise: false }).ptq.biasAbsorption).toBe(true);
  });

  it('sets symmetric MSE weights and asymmetric MSE activations, keeping bits and granularity', () => {
    const c = standardPtqConfig(
      { ...DEFAULT_CONFIG, weights: { ...DEFAULT_WEIGHTS, bits: 4, scheme: 'asymmetric' } },
      { hasDepthwise: false },
    );
    expect(c.weights).toMatchObject({
      bits: 4,
      scheme: 'symmetric',
      range: 'mse',
      granularity: 'per-channel',
    });
    expect(c.activations).toMatchObject({ bits: 8, scheme: 'asymmetric', range: 'mse' });
    expect(
      standardPtqConfig({ ...DEFAULT_CONFIG, activations: 'fp32' }, { hasDepthwise: false })
        .activations,
    ).toBe('fp32');
  });
});
