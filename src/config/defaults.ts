import type { QuantChoice } from './quantChoice';
import type { ExperimentConfig } from './schema';

/** torch.ao's defaults: symmetric per-channel int8 weights, asymmetric per-tensor uint8 activations. */
export const DEFAULT_WEIGHTS: QuantChoice = {
  bits: 8,
  scheme: 'symmetric',
  granularity: 'per-channel',
  range: 'min-max',
  percentile: 99.99,
  narrowRange: false,
};

export const DEFAULT_ACTIVATIONS: QuantChoice = {
  bits: 8,
  scheme: 'asymmetric',
  granularity: 'per-tensor',
  range: 'min-max',
  percentile: 99.99,
  narrowRange: false,
};

export const DEFAULT_CONFIG: ExperimentConfig = {
  model: 'cnn',
  backend: 'auto',
  evalLimit: null,
  seed: 0,
  weights: DEFAULT_WEIGHTS,
  activations: DEFAULT_ACTIVATIONS,
  overrides: {},
  calibration: 512,
  integer: { enabled: false, accumulatorBits: 32, overflow: 'wrap', requantization: 'fixed-point' },
  ptq: { cle: false, biasAbsorption: false, adaround: 0, biasCorrection: 'off' },
  qat: {
    epochs: 3,
    batchSize: 64,
    optimizer: 'adam',
    learningRate: 0.0002,
    learnRanges: true,
    bn: 'fold',
    trainLimit: null,
  },
  hide: [],
};

/** AdaRound iterations per layer of the standard pipeline: enough on the zoo's small layers. */
export const STANDARD_ADAROUND_ITERATIONS = 500;
