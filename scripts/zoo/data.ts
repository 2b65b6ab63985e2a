/**
 * Training batches and evaluation sets for the zoo. Batches are built in JS from the stored
 * bytes with the run's seeded generator (shuffling and shifts), so nothing depends on
 * Math.random or on model.fit's own shuffling.
 */
import * as tf from '@tensorflow/tfjs';
import { type LabeledSet, digitsSet } from '../../src/engine/data/dataset';
import { loadDigitsSplit } from '../../src/engine/data/digits';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../../src/engine/data/digitsFormat';
import { publicDirSource } from '../../src/engine/data/nodeSource';
import { spiralSplits } from '../../src/engine/data/spiral';
import { spiralTestSet } from '../../src/engine/data/spiralSet';
import { type Rng, randInt } from '../../src/quant/random';

/** Hands out one training batch for the given example indices. */
export interface TrainSource {
  count: number;
  batch(indices: readonly number[], rng: Rng): { x: tf.Tensor; y: tf.Tensor };
}

export interface DatasetPair {
  train: TrainSource;
  test: LabeledSet;
}

function oneHot(
  labels: ArrayLike<number>,
  indices: readonly number[],
  classes: number,
): tf.Tensor2D {
  const y = new Float32Array(indices.length * classes);
  indices.forEach((idx, row) => {
    y[row * classes + (labels[idx] ?? 0)] = 1;
  });
  return tf.tensor2d(y, [indices.length, classes]);
}

/** Copies image `src` shifted by (dx, dy) pixels into `out` at `at`, zero-filling the border. */
export function shiftImage(
  images: Uint8Array,
  src: number,
  dx: number,
  dy: number,
  out: Float32Array,
  at: number,
): void {
  const base = src * PIXELS;
  for (let r = 0; r < IMAGE_SIZE; r++) {
    const sr = r - dy;
    for (let c = 0; c < IMAGE_SIZE; c++) {
      const sc = c - dx;
      const inside = sr >= 0 && sr < IMAGE_SIZE && sc >= 0 && sc < IMAGE_SIZE;
      out[at + r * IMAGE_SIZE + c] = inside ? (images[base + sr * IMAGE_SIZE + sc] ?? 0) / 255 : 0;
    }
  }
}

export async function digitsData(shiftPixels: number): Promise<DatasetPair> {
  const source = publicDirSource();
  const [train, test] = await Promise.all([
    loadDigitsSplit(source, 'train'),
    loadDigitsSplit(source, 'test'),
  ]);
  return {
    train: {
      count: train.count,
      batch(indices, rng) {
        const x = new Float32Array(indices.length * PIXELS);
        indices.forEach((idx, row) => {
          const dx = shiftPixels ? randInt(rng, 2 * shiftPixels + 1) - shiftPixels : 0;
          const dy = shiftPixels ? randInt(rng, 2 * shiftPixels + 1) - shiftPixels : 0;
          shiftImage(train.images, idx, dx, dy, x, row * PIXELS);
        });
        return {
          x: tf.tensor4d(x, [indices.length, IMAGE_SIZE, IMAGE_SIZE, 1]),
          y: oneHot(train.labels, indices, NUM_CLASSES),
        };
      },
    },
    test: digitsSet(test),
  };
}

export function spiralData(): DatasetPair {
  const { train } = spiralSplits();
  return {
    train: {
      count: train.count,
      batch(indices) {
        const x = new Float32Array(indices.length * 2);
        indices.forEach((idx, row) => {
          x[2 * row] = train.x[2 * idx] ?? 0;
          x[2 * row + 1] = train.x[2 * idx + 1] ?? 0;
        });
        return { x: tf.tensor2d(x, [indices.length, 2]), y: oneHot(train.y, indices, 2) };
      },
    },
    test: spiralTestSet(),
  };
}

/** The evaluation set for a dataset id: the app's own (EngineSession uses the same functions). */
export async function testSetFor(dataset: 'digits' | 'spiral'): Promise<LabeledSet> {
  if (dataset === 'spiral') return spiralTestSet();
  return digitsSet(await loadDigitsSplit(publicDirSource(), 'test'));
}
