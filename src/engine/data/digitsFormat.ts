/**
 * On-disk format of the digits sets written by scripts/build-digits.ts and read by
 * digits.ts: raw uint8 pixels (row-major 28x28, one byte per pixel) and uint8 labels,
 * described by a manifest with counts and SHA-256 checksums.
 */
import { z } from 'zod';

export const IMAGE_SIZE = 28;
export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
export const NUM_CLASSES = 10;
/** Folder under public/ (and URL path under the site root). */
export const DIGITS_DIR = 'data';
export const MANIFEST_FILE = 'digits-manifest.json';

const splitSchema = z.object({
  count: z.number().int().positive(),
  images: z.string().regex(/^[\w.-]+$/),
  labels: z.string().regex(/^[\w.-]+$/),
  imagesSha256: z.string().regex(/^[0-9a-f]{64}$/),
  labelsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  perClass: z.array(z.number().int().nonnegative()).length(NUM_CLASSES),
});

export const digitsManifestSchema = z.object({
  source: z.string(),
  seed: z.number().int(),
  imageShape: z.tuple([z.literal(IMAGE_SIZE), z.literal(IMAGE_SIZE), z.literal(1)]),
  splits: z.object({ train: splitSchema, test: splitSchema }),
});

export type DigitsManifest = z.infer<typeof digitsManifestSchema>;
export type SplitName = keyof DigitsManifest['splits'];

/** One split in memory: `images[i * PIXELS + p]` is pixel p of image i, in 0..255. */
export interface DigitsSplit {
  readonly count: number;
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}
