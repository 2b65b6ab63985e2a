import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useNodeBackend } from '../backend/node';
import { cosineRate, scheduledOptimizer } from './schedule';

describe('QAT learning-rate schedule', () => {
  it('cosine decay: lr at the start, lr/2 half way, 0 at the end', () => {
    expect(cosineRate(0.01, 0, 100)).toBe(0.01);
    expect(cosineRate(0.01, 50, 100)).toBeCloseTo(0.005, 12);
    expect(cosineRate(0.01, 100, 100)).toBeCloseTo(0, 12);
    expect(cosineRate(0.01, 25, 100)).toBeCloseTo(0.01 * 0.5 * (1 + Math.SQRT1_2), 12);
  });

  it.each(['adam', 'sgd'] as const)(
    '%s takes the scheduled rate: a zero rate moves nothing',
    async (kind) => {
      await useNodeBackend('cpu');
      const v = tf.variable(tf.scalar(1));
      const s = scheduledOptimizer(kind, 0.1);
      const loss = () => tf.square(v) as tf.Scalar;
      s.at(10, 10); // the end of the schedule: rate 0
      s.optimizer.minimize(loss);
      expect((await v.data())[0]).toBe(1);
      s.at(0, 10);
      s.optimizer.minimize(loss);
      // Adam's first real step is lr·sign(g) = 0.1 (its moments are bias-corrected). Momentum
      // kept the first gradient: accumulation 0.9·2 + 2 = 3.8, times lr 0.1.
      expect((await v.data())[0]).toBeCloseTo(kind === 'adam' ? 0.9 : 1 - 0.38, 5);
      s.optimizer.dispose();
      v.dispose();
    },
  );
});
