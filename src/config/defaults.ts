import type { ExperimentConfig } from './schema';

export const DEFAULT_CONFIG: ExperimentConfig = {
  model: 'cnn',
  backend: 'auto',
  evalLimit: null,
  seed: 0,
};
