/**
 * Loads the digits sets written by scripts/build-digits.ts, verifying counts and SHA-256
 * checksums, from any byte source (fetch in the browser and worker, fs in Node), and turns
 * them into float tensors in [0, 1] of shape [n, 28, 28, 1].
 */
import * as tf from '@tensorflow/tfjs';
import {
  DIGITS_DIR,
  MANIFEST_FILE,
  NUM_CLASSES,
  PIXELS,
  digitsManifestSchema,
  type DigitsManifest,
  type DigitsSplit,
  type SplitName,
} from './digitsFormat';

/** Reads a file by path relative to the site root (e.g. `data/test-images.u8`). */
export type ByteSource = (path: string) => Promise<Uint8Array>;

/** A ByteSource over fetch, for the browser and workers; `base` is the site root URL. */
export function fetchSource(base: string): ByteSource {
  return async (path) => {
    const url = new URL(path, base).toString();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`Could not load ${path}: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function loadDigitsManifest(source: ByteSource): Promise<DigitsManifest> {
  const text = new TextDecoder().decode(await source(`${DIGITS_DIR}/${MANIFEST_FILE}`));
  return digitsManifestSchema.parse(JSON.parse(text));
}

/** Loads one split and checks it against the manifest (sizes, checksums, label range). */
export async function loadDigitsSplit(
  source: ByteSource,
  split: SplitName,
  manifest?: DigitsManifest,
): Promise<DigitsSplit> {
  const m = manifest ?? (await loadDigitsManifest(source));
  const info = m.splits[split];
  const [images, labels] = await Promise.all([
    source(`${DIGITS_DIR}/${info.images}`),
    source(`${DIGITS_DIR}/${info.labels}`),
  ]);
  if (images.length !== info.count * PIXELS || labels.length !== info.count) {
    throw new Error(
      `Digits ${split} split has ${images.length} pixel bytes and ${labels.length} labels; ` +
        `the manifest expects ${info.count} images`,
    );
  }
  const [hi, hl] = await Promise.all([sha256Hex(images), sha256Hex(labels)]);
  if (hi !== info.imagesSha256 || hl !== info.labelsSha256) {
    throw new Error(`Digits ${split} split does not match its manifest checksum`);
  }
  if (labels.some((l) => l >= NUM_CLASSES)) throw new Error(`Digits ${split}: label out of range`);
  return { count: info.count, images, labels };
}

/** Images [start, end) as a float32 tensor [n, 28, 28, 1] scaled to [0, 1]. */
export function imagesTensor(split: DigitsSplit, start = 0, end = split.count): tf.Tensor4D {
  const n = end - start;
  const bytes = split.images.subarray(start * PIXELS, end * PIXELS);
  const values = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) values[i] = (bytes[i] ?? 0) / 255;
  return tf.tensor4d(values, [n, 28, 28, 1]);
}

/** Labels [start, end) as plain numbers. */
export function labelsSlice(split: DigitsSplit, start = 0, end = split.count): Uint8Array {
  return split.labels.subarray(start, end);
}

/** Takes the first `n` images of a split (the splits are already shuffled). */
export function headOfSplit(split: DigitsSplit, n: number): DigitsSplit {
  const count = Math.min(n, split.count);
  return {
    count,
    images: split.images.subarray(0, count * PIXELS),
    labels: split.labels.subarray(0, count),
  };
}
