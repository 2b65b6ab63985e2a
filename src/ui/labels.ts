/** Words the UI shows for the config's enum values. */
import type { QuantChoice } from '@/config/quantChoice';
import type { QatConfig } from '@/config/schema';

export const SCHEME_LABELS: Record<QuantChoice['scheme'], string> = {
  asymmetric: 'Asymmetric',
  symmetric: 'Symmetric',
  'power-of-two': 'Power-of-two',
};

export const GRANULARITY_LABELS: Record<QuantChoice['granularity'], string> = {
  'per-tensor': 'Per-tensor',
  'per-channel': 'Per-channel',
};

export const RANGE_LABELS: Record<QuantChoice['range'], string> = {
  'min-max': 'Min-max',
  'moving-average': 'Moving-average min-max',
  mse: 'MSE',
  percentile: 'Percentile',
  'cross-entropy': 'Cross-entropy (softmax input)',
  bn: 'BN-based (β ± 6γ)',
};

export const QAT_OPTIMIZER_LABELS: Record<QatConfig['optimizer'], string> = {
  adam: 'Adam',
  sgd: 'SGD (momentum 0.9)',
};

/** Paper 4.2: fold BN statically into the weights, or keep it (needs per-channel weights). */
export const QAT_BN_LABELS: Record<QatConfig['bn'], string> = {
  fold: 'static folding',
  keep: 'keep BN (per-channel)',
};
