/**
 * Encodings in AIMET's encodings-file layout (version 0.6.1), out and back in:
 * `param_encodings` keyed `<node>.kernel` with one entry per channel, `activation_encodings`
 * keyed by the node whose output is quantized. Offsets follow AIMET (offset = qmin − zero point;
 * quant/aimet.ts). `parseAimetFile` is the gate for such files from outside (untrusted).
 */
import { z } from 'zod';
import { playgroundError } from '@/config/errors';
import { fromAimetEncodings, toAimetEncodings, type AimetEncoding } from '@/quant/aimet';
import { QuantError } from '@/quant/errors';
import type { BitWidth, Encodings, Granularity, Scheme } from '@/quant/types';
import type { EncodingSummary, QuantResult } from '../events';

export interface AimetEncodingsFile {
  version: '0.6.1';
  activation_encodings: Record<string, AimetEncoding[]>;
  param_encodings: Record<string, AimetEncoding[]>;
  excluded_layers: string[];
  quantizer_args: Record<string, string | number | boolean>;
  /** Not AIMET: where this file came from, so it can be reproduced. */
  playground: AimetFileMeta;
}

export interface AimetFileMeta {
  model: string;
  link: string;
  fp32Accuracy: number | null;
  quantAccuracy: number | null;
}

/** Encodings per node, as a run uses them and as `parseAimetFile` returns them. */
export interface NodeEncodings {
  weights: Map<string, Encodings>;
  activations: Map<string, Encodings>;
}

const KERNEL = '.kernel';

function fromSummary(s: EncodingSummary): Encodings {
  return {
    bitwidth: s.bitwidth as BitWidth,
    scheme: s.scheme as Scheme,
    signed: s.qmin < 0,
    narrowRange: s.qmin < 0 ? s.qmin === -s.qmax : s.qmax === 2 ** s.bitwidth - 2,
    isSymmetric: s.isSymmetric,
    qmin: s.qmin,
    qmax: s.qmax,
    granularity: s.granularity as Granularity,
    layout: { channels: s.scale.length, inner: 1 },
    scale: Float32Array.from(s.scale),
    zeroPoint: Int32Array.from(s.zeroPoint),
    min: Float32Array.from(s.min),
    max: Float32Array.from(s.max),
  };
}

/**
 * The file for weight encodings (per node with a quantized kernel) and activation encodings
 * (per node whose output is quantized), e.g. the learned ones of a QAT snapshot. Map order is
 * file order; `quantizer_args` describe the first weight and activation encodings.
 */
export function aimetFileFromEncodings(
  weights: ReadonlyMap<string, Encodings>,
  activations: ReadonlyMap<string, Encodings>,
  meta: AimetFileMeta,
  excluded: readonly string[] = [],
): AimetEncodingsFile {
  const params: Record<string, AimetEncoding[]> = {};
  const acts: Record<string, AimetEncoding[]> = {};
  for (const [node, e] of weights) params[`${node}${KERNEL}`] = toAimetEncodings(e);
  for (const [node, e] of activations) acts[node] = toAimetEncodings(e);
  const firstW = weights.values().next().value;
  const firstA = activations.values().next().value;
  return {
    version: '0.6.1',
    activation_encodings: acts,
    param_encodings: params,
    excluded_layers: [...excluded],
    quantizer_args: {
      activation_bitwidth: firstA?.bitwidth ?? 32,
      param_bitwidth: firstW?.bitwidth ?? 32,
      dtype: 'int',
      per_channel_quantization: firstW?.granularity === 'per-channel',
      is_symmetric: firstW?.isSymmetric ?? true,
      quant_scheme: 'post_training_tf',
    },
    playground: { ...meta },
  };
}

export function toAimetFile(result: QuantResult): AimetEncodingsFile {
  const weights = new Map<string, Encodings>();
  const acts = new Map<string, Encodings>();
  const excluded: string[] = [];
  for (const l of result.layers) {
    if (l.weight?.encoding) weights.set(l.node, fromSummary(l.weight.encoding));
    if (l.activation?.encoding) acts.set(l.node, fromSummary(l.activation.encoding));
    if (
      l.weight?.choice === 'fp32' &&
      l.activation?.choice !== undefined &&
      l.activation.choice === 'fp32'
    ) {
      excluded.push(l.node);
    }
  }
  const meta = {
    model: result.modelId,
    link: result.link,
    fp32Accuracy: result.fp32Accuracy,
    quantAccuracy: result.quantAccuracy,
  };
  return aimetFileFromEncodings(weights, acts, meta, excluded);
}

/**
 * Keys are node names (IR names: Keras layer names, `name/suffix`, `name#k`). Checked before
 * the schema sees them: zod drops a JSON `__proto__` key silently, which must be an error here.
 */
const NODE_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/#]{0,255}$/;

const entrySchema = z.object({
  bitwidth: z.number().int().min(2).max(16),
  dtype: z.literal('int'),
  is_symmetric: z.enum(['True', 'False']),
  max: z.number(),
  min: z.number(),
  offset: z.number().int(),
  scale: z.number().positive(),
});
const tableSchema = z.record(z.string(), z.array(entrySchema).min(1));
const fileSchema = z.object({
  version: z.literal('0.6.1'),
  activation_encodings: tableSchema,
  param_encodings: tableSchema,
});

/** `param_encodings["conv1.kernel"][0].scale`, as a reader would index the JSON. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  path.forEach((p, i) => {
    if (typeof p === 'number') out += `[${p}]`;
    else if (i === 0) out = String(p);
    // A table key is a node name (quoted); a key after an entry index is a field name.
    else if (typeof path[i - 1] === 'number') out += `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  });
  return out || 'the file';
}

function checkKeys(json: unknown): void {
  if (typeof json !== 'object' || json === null) return; // the schema names it
  for (const table of ['activation_encodings', 'param_encodings'] as const) {
    const t: unknown = (json as Record<string, unknown>)[table];
    if (typeof t !== 'object' || t === null || Array.isArray(t)) continue;
    for (const key of Object.keys(t)) {
      const field = fieldPath([table, key]);
      const isParam = table === 'param_encodings';
      if (isParam && !key.endsWith(KERNEL))
        throw playgroundError('ENCODINGS_FILE', {
          field,
          detail: 'only kernel encodings are read; expected a key "<node>.kernel"',
        });
      if (!NODE_NAME.test(isParam ? key.slice(0, -KERNEL.length) : key))
        throw playgroundError('ENCODINGS_FILE', {
          field,
          detail:
            'the key is not a layer name (letters, digits, - . _ / #, starting with a letter or digit)',
        });
    }
  }
}

/**
 * Reads an AIMET encodings file (parsed JSON, untrusted) into encodings per node: every fault,
 * of type or of meaning (a negative scale, a zero point off the grid), is an ENCODINGS_FILE
 * error naming the key and field. The `playground` block and quantizer_args are not needed.
 */
export function parseAimetFile(json: unknown): NodeEncodings {
  checkKeys(json);
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw playgroundError('ENCODINGS_FILE', {
      field: fieldPath(issue?.path ?? []),
      detail: issue?.message ?? 'unknown problem',
    });
  }
  const read = (table: 'activation_encodings' | 'param_encodings') => {
    const out = new Map<string, Encodings>();
    for (const [key, entries] of Object.entries(parsed.data[table])) {
      const node = table === 'param_encodings' ? key.slice(0, -KERNEL.length) : key;
      try {
        out.set(node, fromAimetEncodings(entries));
      } catch (e) {
        if (!(e instanceof QuantError)) throw e;
        throw playgroundError('ENCODINGS_FILE', {
          field: fieldPath([table, key]),
          detail: e.message,
        });
      }
    }
    return out;
  };
  return { weights: read('param_encodings'), activations: read('activation_encodings') };
}
