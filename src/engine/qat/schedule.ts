/**
 * The QAT optimizers with a learning rate that follows a cosine decay over the whole run,
 * lr_t = lr·½(1 + cos(π t / T)) (LSQ's schedule, Esser et al. 2020; the paper only says "Adam,
 * best learning rate per configuration", 4.4). Without a decay the last epochs of a W4A4 run
 * wander (cnn: 98.00% after epoch 1, 97.55% after epoch 3 at a constant 2e-4).
 */
import * as tf from '@tensorflow/tfjs';

export interface ScheduledOptimizer {
  readonly optimizer: tf.Optimizer;
  /** Sets the rate for step t (0-based) of `total`. */
  at(step: number, total: number): void;
}

/** Adam whose rate can change between steps (tf's keeps it in a protected field). */
class AdamWithRate extends tf.AdamOptimizer {
  setRate(lr: number): void {
    this.learningRate = lr;
  }
}

export const cosineRate = (lr: number, step: number, total: number) =>
  lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, total)) / Math.max(1, total)));

export function scheduledOptimizer(kind: 'adam' | 'sgd', lr: number): ScheduledOptimizer {
  if (kind === 'adam') {
    const optimizer = new AdamWithRate(lr, 0.9, 0.999, 1e-7);
    return { optimizer, at: (t, total) => optimizer.setRate(cosineRate(lr, t, total)) };
  }
  const optimizer = new tf.MomentumOptimizer(lr, 0.9);
  return { optimizer, at: (t, total) => optimizer.setLearningRate(cosineRate(lr, t, total)) };
}
