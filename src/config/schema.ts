/**
 * The experiment as data: everything a run depends on, so that a share link (config/codec.ts)
 * reproduces it. Validated with zod at every outside boundary.
 */
import { z } from 'zod';

export const BACKEND_REQUESTS = ['auto', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

export const modelIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/);

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
});

export type ExperimentConfig = z.infer<typeof experimentConfigSchema>;
