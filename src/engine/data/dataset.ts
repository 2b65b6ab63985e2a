/** A labelled evaluation set that hands out tensor batches on demand. */
import type * as tf from '@tensorflow/tfjs';
import { imagesTensor, labelsSlice } from './digits';
import type { DigitsSplit } from './digitsFormat';

export interface LabeledSet {
  readonly count: number;
  /** Inputs [start, end) as a new tensor (the caller disposes it) and their labels. */
  batch(start: number, end: number): { x: tf.Tensor; labels: Uint8Array };
}

export function digitsSet(split: DigitsSplit): LabeledSet {
  return {
    count: split.count,
    batch: (start, end) => ({
      x: imagesTensor(split, start, end),
      labels: labelsSlice(split, start, end),
    }),
  };
}

/** The first `limit` items of a set (sets are stored shuffled, so a head is a fair sample). */
export function limitSet(set: LabeledSet, limit: number | undefined): LabeledSet {
  if (limit === undefined || limit >= set.count) return set;
  const count = Math.max(0, Math.floor(limit));
  return { count, batch: (s, e) => set.batch(s, Math.min(e, count)) };
}
