/**
 * The standard PTQ pipeline of the white paper (section 3.5, Fig. 8) as a config: symmetric
 * weights with MSE range setting, asymmetric activations with MSE range setting, CLE (with
 * bias absorption) when the model has depthwise layers or the weights are per-tensor, AdaRound,
 * and empirical bias correction. Bit-widths and granularity stay as the user chose them; every
 * step remains a switch the user can turn off afterwards.
 */
import { STANDARD_ADAROUND_ITERATIONS } from './defaults';
import type { QuantSlotChoice } from './quantChoice';
import type { ExperimentConfig } from './schema';

export interface ModelTraits {
  /** Depthwise (or separable) convolutions: where CLE matters most (paper 3.2). */
  hasDepthwise: boolean;
}

function withRange(c: QuantSlotChoice, scheme: 'symmetric' | 'asymmetric'): QuantSlotChoice {
  return c === 'fp32' ? c : { ...c, scheme, range: 'mse' };
}

export function standardPtqConfig(config: ExperimentConfig, traits: ModelTraits): ExperimentConfig {
  const perTensor = config.weights !== 'fp32' && config.weights.granularity === 'per-tensor';
  const cle = traits.hasDepthwise || perTensor;
  return {
    ...config,
    weights: withRange(config.weights, 'symmetric'),
    activations: withRange(config.activations, 'asymmetric'),
    ptq: {
      cle,
      biasAbsorption: cle,
      adaround: STANDARD_ADAROUND_ITERATIONS,
      biasCorrection: 'empirical',
    },
  };
}
