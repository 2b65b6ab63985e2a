/**
 * Turns a set of uploaded files (untrusted: any names, any bytes) into what the model gate
 * (load.ts) reads: the model.json's name and a ByteSource over the files. Weight paths in the
 * manifest are matched on their base name, because a file picker or a drop hands over names
 * only, never the folders the manifest may mention.
 */
import { MAX_MODEL_BYTES } from '@/config/limits';
import { playgroundError } from '@/config/errors';
import type { ByteSource } from '../data/digits';

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

export interface UploadSource {
  /** The file taken as model.json (its name as uploaded). */
  modelJson: string;
  source: ByteSource;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/** True when the bytes are a JSON object with the two keys every Layers model.json has. */
function looksLikeModel(bytes: Uint8Array): boolean {
  try {
    const raw: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof raw === 'object' && raw !== null && 'modelTopology' in raw;
  } catch {
    return false;
  }
}

/**
 * Picks the model.json (the only .json, or the only .json that parses as a model) and serves
 * the rest by base name. Refuses duplicate names and, before anything is parsed, files over
 * `limit` bytes in all.
 * @example files model.json + weights.bin, manifest path "./weights.bin" → source("weights.bin")
 *   returns weights.bin's bytes; source("other.bin") rejects, which load.ts reports as
 *   WEIGHTS_MISSING naming "other.bin".
 */
export function uploadSource(
  files: readonly UploadedFile[],
  limit: number = MAX_MODEL_BYTES,
): UploadSource {
  const byName = new Map<string, Uint8Array>();
  for (const f of files) {
    if (byName.has(f.name)) throw playgroundError('UPLOAD_DUPLICATE', { file: f.name });
    byName.set(f.name, f.bytes);
  }
  const total = files.reduce((n, f) => n + f.bytes.length, 0);
  if (total > limit) {
    const largest = files.reduce((a, b) => (b.bytes.length > a.bytes.length ? b : a));
    throw playgroundError('UPLOAD_TOO_LARGE', { bytes: total, largest: largest.name, limit });
  }
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const models = jsons.length > 1 ? jsons.filter((f) => looksLikeModel(f.bytes)) : jsons;
  const names = files.map((f) => f.name);
  if (models.length === 0) {
    // Several .json files and none a model: name them all, so the person sees why.
    throw playgroundError('UPLOAD_NO_MODEL_JSON', { files: quoted(names) });
  }
  if (models.length > 1) {
    throw playgroundError('UPLOAD_SEVERAL_JSON', { files: quoted(models.map((f) => f.name)) });
  }
  const modelJson = models[0]?.name ?? '';
  const source: ByteSource = (path) => {
    const bytes = byName.get(path === modelJson ? path : baseName(path));
    return bytes
      ? Promise.resolve(bytes.slice())
      : Promise.reject(new Error(`No uploaded file is named "${baseName(path)}".`));
  };
  return { modelJson, source };
}
