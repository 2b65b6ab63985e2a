/** Seeded calibration subsets of a training split (paper 3.1: a few hundred images suffice). */
import { mulberry32, permutation } from '@/quant/random';
import { type LabeledSet, digitsSet } from './dataset';
import { PIXELS, type DigitsSplit } from './digitsFormat';

/** `count` images of `split` chosen by a seeded permutation (the same seed, the same images). */
export function digitsSubset(split: DigitsSplit, count: number, seed: number): DigitsSplit {
  const n = Math.min(count, split.count);
  const order = permutation(split.count, mulberry32(seed)).slice(0, n);
  const images = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  order.forEach((src, i) => {
    images.set(split.images.subarray(src * PIXELS, (src + 1) * PIXELS), i * PIXELS);
    labels[i] = split.labels[src] ?? 0;
  });
  return { count: n, images, labels };
}

export const digitsCalibrationSet = (split: DigitsSplit, count: number, seed: number): LabeledSet =>
  digitsSet(digitsSubset(split, count, seed));
