/** The spiral test points as a LabeledSet (inputs [n, 2]). */
import * as tf from '@tensorflow/tfjs';
import type { LabeledSet } from './dataset';
import { spiralSplits, type SpiralSet } from './spiral';

export function spiralSet(set: SpiralSet): LabeledSet {
  return {
    count: set.count,
    batch: (start, end) => ({
      x: tf.tensor2d(set.x.subarray(start * 2, end * 2), [end - start, 2]),
      labels: set.y.subarray(start, end),
    }),
  };
}

export const spiralTestSet = (): LabeledSet => spiralSet(spiralSplits().test);
