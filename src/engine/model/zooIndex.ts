/**
 * Schema of public/models/index.json, the built-in model zoo written by
 * scripts/train-builtin.ts and checked by scripts/verify-zoo.ts. Every figure in it was measured
 * on the WASM backend after reloading the saved files, so the app can reproduce it exactly.
 */
import { z } from 'zod';

/** Path of the index under the site root (and under public/). */
export const ZOO_INDEX_PATH = 'models/index.json';

const count = z.number().int().nonnegative();
const dim = z.number().int().positive();

export const zooLayerSchema = z.object({
  name: z.string().min(1),
  /** TF.js Layers class name, e.g. Conv2D, BatchNormalization, Add. */
  type: z.string().min(1),
  /** Output shape without the batch dimension. */
  outputShape: z.array(dim),
  params: count,
  /** Multiply-accumulates per example (Dense, Conv2D, DepthwiseConv2D, SeparableConv2D). */
  macs: count,
});

export const zooRecipeSchema = z.object({
  optimizer: z.string().min(1),
  learningRate: z.number().positive(),
  epochs: dim,
  batchSize: dim,
  seed: z.number().int(),
  augmentation: z.string(),
  notes: z.string(),
});

/** Spread of the per-channel weight ranges of one depthwise layer after BN folding. */
export const depthwiseRangeSchema = z.object({
  layer: z.string().min(1),
  batchNorm: z.string().min(1),
  channels: dim,
  /** Smallest and largest per-output-channel max|w_fold|. */
  minRange: z.number().nonnegative(),
  maxRange: z.number().positive(),
  /** maxRange / minRange: above ~10, per-tensor 8-bit weights lose the small channels. */
  ratio: z.number().positive(),
});

export const zooModelSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  /** One line: what the model teaches. */
  purpose: z.string().min(1),
  /** model.json relative to the site root. */
  path: z.string().regex(/^models\/[a-z0-9-]+\/model\.json$/),
  /** Input shape without the batch dimension. */
  input: z.array(dim).min(1),
  dataset: z.enum(['digits', 'spiral']),
  layers: z.array(zooLayerSchema).min(1),
  params: count,
  macsPerImage: count,
  /** testCorrect / testCount on the WASM backend, evaluated from the saved files. */
  fp32TestAccuracy: z.number().min(0).max(1),
  testCorrect: count,
  testCount: dim,
  recipe: zooRecipeSchema,
  /** Wall-clock training time on the machine that trained it (informative only). */
  trainSeconds: z.number().nonnegative().optional(),
  depthwiseRangeRatio: z.array(depthwiseRangeSchema).optional(),
});

export const zooIndexSchema = z
  .object({
    version: z.literal(1),
    /** Backend the accuracies were measured on. */
    backend: z.string().min(1),
    models: z.array(zooModelSchema).min(1),
  })
  .superRefine((index, ctx) => {
    const seen = new Set<string>();
    index.models.forEach((m, i) => {
      if (seen.has(m.id))
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'id'],
          message: `duplicate id "${m.id}"`,
        });
      seen.add(m.id);
      if (m.testCorrect > m.testCount) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'testCorrect'],
          message: 'exceeds testCount',
        });
      }
      if (Math.abs(m.fp32TestAccuracy - m.testCorrect / m.testCount) > 1e-12) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'fp32TestAccuracy'],
          message: `is not testCorrect / testCount (${m.testCorrect} / ${m.testCount})`,
        });
      }
    });
  });

export type ZooLayer = z.infer<typeof zooLayerSchema>;
export type ZooRecipe = z.infer<typeof zooRecipeSchema>;
export type DepthwiseRange = z.infer<typeof depthwiseRangeSchema>;
export type ZooModel = z.infer<typeof zooModelSchema>;
export type ZooIndex = z.infer<typeof zooIndexSchema>;

/** Validates a parsed index.json; the error names the first offending field. */
export function parseZooIndex(raw: unknown): ZooIndex {
  const parsed = zooIndexSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? issue.path.join('.') || 'root' : 'root';
  throw new Error(
    `${ZOO_INDEX_PATH} is invalid at ${where}: ${issue?.message ?? 'unknown problem'}`,
  );
}
