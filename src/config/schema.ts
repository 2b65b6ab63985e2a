/**
 * The experiment as data: everything a run depends on, so that a share link (config/codec.ts)
 * reproduces it. Validated with zod at every outside boundary.
 */
import { z } from 'zod';
import './zodCsp'; // no eval probe under the CSP (vite.config.ts)
import { HIDE_GROUPS } from './hide';
import { quantChoiceSchema } from './quantChoice';

export const BACKEND_REQUESTS = ['auto', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

export const modelIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);
/** Keras layer names as the zoo and TF.js write them. */
export const layerNameSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9_/-]{0,63}$/);

const slotSchema = z.union([quantChoiceSchema, z.literal('fp32')]);

/** Per-layer overrides of the global quantizers (AIMET/torch qconfig-per-module idea). */
export const layerOverrideSchema = z.object({
  weights: slotSchema.optional(),
  activations: slotSchema.optional(),
});
export type LayerOverride = z.infer<typeof layerOverrideSchema>;

/** Integer-exact execution (paper 2.1): accumulator width, overflow behaviour, requantization. */
export const integerConfigSchema = z.object({
  /** Also run the model on integer kernels and compare with the fake-quant simulation. */
  enabled: z.boolean(),
  accumulatorBits: z.number().int().min(8).max(32),
  overflow: z.enum(['wrap', 'saturate']),
  requantization: z.enum(['fixed-point', 'float']),
});
export type IntegerConfig = z.infer<typeof integerConfigSchema>;

/** Post-training steps of paper section 3 applied before the run (off by default). */
export const ptqConfigSchema = z.object({
  /** Cross-layer equalization (paper 3.2). */
  cle: z.boolean(),
  /** Absorbing high biases into the next layer (paper 3.2, c = max(0, β − 3γ)). */
  biasAbsorption: z.boolean(),
  /** AdaRound iterations per layer (paper 3.4); 0 = round to nearest. */
  adaround: z.number().int().min(0).max(20_000),
  /** Bias correction (paper 3.3): from calibration data, or from the preceding BN's statistics. */
  biasCorrection: z.enum(['off', 'empirical', 'analytic']),
});
export type PtqConfig = z.infer<typeof ptqConfigSchema>;

/** Quantization-aware training (paper section 4); runs when the user starts it. */
export const qatConfigSchema = z.object({
  epochs: z.number().int().min(1).max(50),
  batchSize: z.number().int().min(1).max(1024),
  /** Adam (paper 4.4: no separate quantizer learning rate needed) or SGD with momentum 0.9. */
  optimizer: z.enum(['adam', 'sgd']),
  learningRate: z.number().min(1e-6).max(1),
  /** Learn scales and zero points with the LSQ gradients (paper 4.1); else keep PTQ's ranges. */
  learnRanges: z.boolean(),
  /** BN in QAT (paper 4.2): static folding, or keep BN with batch statistics (per-channel). */
  bn: z.enum(['fold', 'keep']),
  /** Images of the (seeded, shuffled) train split per epoch; null = all of it. */
  trainLimit: z.number().int().min(1).max(100_000).nullable(),
});
export type QatConfig = z.infer<typeof qatConfigSchema>;

export const experimentConfigSchema = z.object({
  /** Built-in model id (public/models/index.json). */
  model: modelIdSchema,
  /** TF.js backend; 'auto' picks per engine/backend/select.ts. */
  backend: z.enum(BACKEND_REQUESTS),
  /** Evaluate only the first N test items; null = the whole test split. */
  evalLimit: z.number().int().min(1).max(100_000).nullable(),
  /** Seed for every random choice (calibration subsets, shuffling, initialisation). */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  /** Weight quantizer of every conv/dense layer (paper 2.4). */
  weights: slotSchema,
  /** Activation quantizer at every placement point (paper 2.4). */
  activations: slotSchema,
  overrides: z.record(layerNameSchema, layerOverrideSchema),
  /** Calibration images drawn (seeded) from the train split. */
  calibration: z.number().int().min(1).max(8000),
  integer: integerConfigSchema,
  ptq: ptqConfigSchema,
  qat: qatConfigSchema,
  /** Control groups the page does not render (a teacher's link, config/hide.ts); view only. */
  hide: z.array(z.enum(HIDE_GROUPS)),
});

export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;
