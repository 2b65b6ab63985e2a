/**
 * The shared training loop: Adam on categorical cross-entropy via model.trainOnBatch, one
 * seeded generator for the epoch permutations and the augmentation, and a per-epoch learning
 * rate factor. Deterministic for a seed on a given backend.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32, permutation } from '../../src/quant/random';
import type { TrainSource } from './data';
import type { ZooSpec } from './spec';

/** Adam whose learning rate can change between epochs (the field is protected upstream). */
class ScheduledAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

export interface EpochLog {
  epoch: number;
  learningRate: number;
  loss: number;
  accuracy: number;
  seconds: number;
}

export async function trainModel(
  model: tf.LayersModel,
  spec: ZooSpec,
  source: TrainSource,
  onEpoch: (log: EpochLog) => void = () => {},
): Promise<EpochLog[]> {
  const { learningRate, epochs, batchSize, seed } = spec.recipe;
  const optimizer = new ScheduledAdam(learningRate, 0.9, 0.999, 1e-7);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const rng = mulberry32(seed);
  const logs: EpochLog[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const started = performance.now();
    const lr = learningRate * (spec.lrFactor?.(epoch, epochs) ?? 1);
    optimizer.setLearningRate(lr);
    const order = permutation(source.count, rng);
    let lossSum = 0;
    let accSum = 0;
    for (let start = 0; start < source.count; start += batchSize) {
      const indices = order.slice(start, start + batchSize);
      const { x, y } = source.batch(indices, rng);
      try {
        const [loss, acc] = (await model.trainOnBatch(x, y)) as number[];
        lossSum += (loss ?? NaN) * indices.length;
        accSum += (acc ?? NaN) * indices.length;
      } finally {
        tf.dispose([x, y]);
      }
    }
    const log: EpochLog = {
      epoch: epoch + 1,
      learningRate: lr,
      loss: lossSum / source.count,
      accuracy: accSum / source.count,
      seconds: (performance.now() - started) / 1000,
    };
    if (!Number.isFinite(log.loss))
      throw new Error(`${spec.id}: training diverged at epoch ${log.epoch}`);
    logs.push(log);
    onEpoch(log);
  }
  optimizer.dispose();
  return logs;
}
