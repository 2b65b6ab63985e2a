/** What each zoo model module provides: identity, recipe and a seeded builder. */
import type * as tf from '@tensorflow/tfjs';
import type { ZooRecipe } from '../../src/engine/model/zooIndex';

export interface ZooSpec {
  id: string;
  title: string;
  purpose: string;
  dataset: 'digits' | 'spiral';
  /** Input shape without the batch dimension. */
  input: number[];
  recipe: ZooRecipe;
  /** Lowest acceptable FP32 test accuracy (the zoo's promise for this model). */
  minAccuracy: number;
  /** Each depthwise layer's folded channel-range ratio must exceed this (dwsep's purpose). */
  minDepthwiseRangeRatio?: number;
  /** Random shifts of up to this many pixels in x and y (digits only; 0 = none). */
  shiftPixels: number;
  /** Learning-rate factor for each epoch (0-based); 1 when absent. */
  lrFactor?: (epoch: number, epochs: number) => number;
  /** Builds the untrained model; every initializer is seeded from `seed`. */
  build(seed: number): tf.LayersModel;
}

/** Cosine decay from 1 to `floor` over the run: big steps first, settled weights at the end. */
export function cosineDecay(floor: number): (epoch: number, epochs: number) => number {
  return (epoch, epochs) =>
    floor + (1 - floor) * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs - 1)));
}
