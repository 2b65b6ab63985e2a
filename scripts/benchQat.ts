/**
 * QAT step time vs FP32 training step time (issue goal: QAT throughput >= 0.7x FP32), side by
 * side in one process: the same folded model, optimizer (Adam), batch and executor, once with
 * every quantizer (W8A8 learnable, the STE op) and once with none. Steps are interleaved in
 * rounds and medians reported.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG } from '../src/config/defaults';
import type { ExperimentConfig } from '../src/config/schema';
import { digitsCalibrationSet } from '../src/engine/data/calibration';
import { digitsSet } from '../src/engine/data/dataset';
import type { DigitsSplit } from '../src/engine/data/digitsFormat';
import { createQatModel, type QatModel } from '../src/engine/qat/qatModel';
import { createQuantSim, prepareWeights } from '../src/engine/quantsim/quantSim';
import { median } from './benchUtil';

export interface QatBenchRow {
  model: string;
  batch: number;
  medianMs: { fp32Step: number; qatStep: number };
  /** FP32 step time over QAT step time: QAT throughput relative to FP32 training. */
  qatThroughputRatio: number;
}

async function build(model: tf.LayersModel, config: ExperimentConfig, train: DigitsSplit) {
  const prepared = await prepareWeights(model, config);
  const sim = await createQuantSim(prepared, digitsCalibrationSet(train, 256, 0));
  const qat = createQatModel(prepared, sim.activations, { learnRanges: true, bn: 'fold' });
  sim.dispose();
  return qat;
}

async function step(m: QatModel, opt: tf.Optimizer, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const t = performance.now();
  const cost = opt.minimize(
    () => tf.losses.softmaxCrossEntropy(y, m.logits(x, true)) as tf.Scalar,
    true,
    m.trainable(),
  );
  await cost?.data(); // the loop reads the loss every step too
  cost?.dispose();
  return performance.now() - t;
}

export async function benchQatSteps(
  entries: readonly { id: string; model: tf.LayersModel }[],
  train: DigitsSplit,
  rounds: number,
  batch = 64,
): Promise<QatBenchRow[]> {
  const rows: QatBenchRow[] = [];
  const { x, labels } = digitsSet(train).batch(0, batch);
  const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  for (const { id, model } of entries) {
    const base = { ...DEFAULT_CONFIG, model: id };
    const q = await build(model, base, train);
    const f = await build(model, { ...base, weights: 'fp32', activations: 'fp32' }, train);
    const opts = [tf.train.adam(1e-4), tf.train.adam(1e-4)] as const;
    const times = { fp32Step: [] as number[], qatStep: [] as number[] };
    for (let w = 0; w < 2; w++) {
      await step(f, opts[0], x, y);
      await step(q, opts[1], x, y);
    }
    for (let r = 0; r < rounds; r++) {
      times.fp32Step.push(await step(f, opts[0], x, y));
      times.qatStep.push(await step(q, opts[1], x, y));
    }
    const m = { fp32Step: median(times.fp32Step), qatStep: median(times.qatStep) };
    rows.push({ model: id, batch, medianMs: m, qatThroughputRatio: m.fp32Step / m.qatStep });
    opts.forEach((o) => o.dispose());
    q.dispose();
    f.dispose();
  }
  tf.dispose([x, y]);
  return rows;
}
