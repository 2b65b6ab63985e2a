/**
 * The one gate for model files, built-in or uploaded (untrusted): parse model.json with a
 * schema, check every weight's dtype and byte size against the shards, reject NaN/Inf, then
 * load from memory. tf.io.browserFiles alone can hang on bad JSON or silently load random
 * weights when a shard is missing (tfjs-notes.md §6.1), so it is never used.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { playgroundError } from '@/config/errors';
import { MAX_MODEL_BYTES } from '@/config/limits';
import type { ByteSource } from '../data/digits';
import { checkTopology } from './topology';

export { MAX_MODEL_BYTES };

const weightSpecSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()),
  dtype: z.string(),
});

const modelJsonSchema = z.object({
  modelTopology: z.record(z.string(), z.unknown()),
  format: z.string().optional(),
  weightsManifest: z
    .array(z.object({ paths: z.array(z.string().min(1)), weights: z.array(weightSpecSchema) }))
    .min(1),
});

export type ModelJson = z.infer<typeof modelJsonSchema>;

export function parseModelJson(file: string, bytes: Uint8Array): ModelJson {
  if (bytes.length > MAX_MODEL_BYTES) {
    throw playgroundError('MODEL_TOO_LARGE', { file, bytes: bytes.length, limit: MAX_MODEL_BYTES });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw playgroundError('MODEL_JSON_PARSE', { file, detail: (e as Error).message });
  }
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue ? `${issue.path.join('.') || 'root'}: ${issue.message}` : 'unknown';
    throw playgroundError('MODEL_JSON_SHAPE', { file, detail });
  }
  // A graph model (tfjs-converter's other format) also has a modelTopology; say what it is.
  const format = parsed.data.format;
  if (format !== undefined && format !== 'layers-model') {
    const detail = `format is "${format}"; only TF.js Layers models ("layers-model") load here`;
    throw playgroundError('MODEL_JSON_SHAPE', { file, detail });
  }
  return parsed.data;
}

/**
 * Checks sizes, dtypes and finiteness; returns the concatenated weight buffer. Faults name the
 * weight file (the manifest's path) so the person knows which file to fix.
 */
export function checkWeights(file: string, json: ModelJson, shards: Uint8Array[]): ArrayBuffer {
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  let expected = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32')
      throw playgroundError('WEIGHTS_DTYPE', { weight: s.name, dtype: s.dtype });
    expected += 4 * s.shape.reduce((a, b) => a * b, 1);
  }
  const actual = shards.reduce((n, b) => n + b.length, 0);
  if (actual !== expected) {
    throw playgroundError('WEIGHTS_SIZE', { file, shards: paths.join(', '), expected, actual });
  }
  const buffer = new ArrayBuffer(actual);
  const bytes = new Uint8Array(buffer);
  const ends: number[] = []; // byte offset where each shard ends, to name the faulty one
  let at = 0;
  for (const shard of shards) {
    bytes.set(shard, at);
    at += shard.length;
    ends.push(at);
  }
  const shardAt = (element: number) => paths[ends.findIndex((end) => element * 4 < end)] ?? file;
  const floats = new Float32Array(buffer);
  let offset = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) {
      const v = floats[offset + i] ?? 0;
      if (!Number.isFinite(v)) {
        throw playgroundError('WEIGHTS_NONFINITE', {
          file: shardAt(offset + i),
          weight: s.name,
          index: i,
          value: String(v),
        });
      }
    }
    offset += n;
  }
  return buffer;
}

/** Reads model.json and its shards (paths relative to model.json) and loads the model. */
export async function loadLayersModelFrom(
  source: ByteSource,
  modelJsonPath: string,
): Promise<tf.LayersModel> {
  const json = parseModelJson(modelJsonPath, await source(modelJsonPath));
  const dir = modelJsonPath.includes('/')
    ? modelJsonPath.slice(0, modelJsonPath.lastIndexOf('/') + 1)
    : '';
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const shards = await Promise.all(
    paths.map(async (p) => {
      try {
        return await source(dir + p);
      } catch {
        throw playgroundError('WEIGHTS_MISSING', { file: modelJsonPath, shard: p });
      }
    }),
  );
  const weightData = checkWeights(modelJsonPath, json, shards);
  checkTopology(modelJsonPath, json); // before TF.js allocates anything from the configs
  // TF.js leaves the variables of a model it failed to finish building alive: note which exist
  // before, and free the new ones on failure (the fuzz test found 6 leaked per failed load).
  const variablesBefore = new Set(Object.keys(tf.engine().registeredVariables));
  try {
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
        weightData,
      }),
      { strict: true },
    );
  } catch (e) {
    for (const [name, v] of Object.entries(tf.engine().registeredVariables))
      if (!variablesBefore.has(name)) v.dispose();
    const detail = e instanceof Error ? e.message || e.name : String(e);
    throw playgroundError('MODEL_LOAD', { file: modelJsonPath, detail: detail || 'unknown error' });
  }
}
