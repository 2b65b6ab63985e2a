/**
 * Quantization-aware training (paper section 4, standard QAT pipeline of 4.4): start from the
 * PTQ simulation of the config (CLE if asked, its range setting as the initialisation, paper
 * 4.3), train the quantized model with the STE and, optionally, learnable ranges, one seeded
 * minibatch at a time, yielding to the event loop after each step so that progress, pause and
 * cancel get through. After every epoch the model is measured on the test split through the
 * same inference path as PTQ (fixed encodings, quantsim/execute.ts), so the numbers are those
 * a deployed model would give.
 */
import * as tf from '@tensorflow/tfjs';
import { encodeConfig } from '@/config/codec';
import { playgroundError } from '@/config/errors';
import type { ExperimentConfig } from '@/config/schema';
import { sqnrDb } from '@/quant/metrics';
import type { LabeledSet } from '../data/dataset';
import { compareRuns } from '../eval/compare';
import { CancelledError } from '../eval/evaluate';
import type { BackendName, Progress, QatEpoch, QatRange, QatResult, QatUpdate } from '../events';
import { importModel } from '../model/graph';
import { qatUpdates } from '../qatUpdates';
import { fakeQuantTensor } from '../ops/fakeQuant';
import { createQatModel, type QatModel, type QatSnapshot } from '../qat/qatModel';
import type { QuantParam } from '../qat/quantParam';
import { scheduledOptimizer } from '../qat/schedule';
import { type Executable, prepare } from '../quantsim/execute';
import { createQuantSim, type PreparedWeights } from '../quantsim/quantSim';
import { softmaxInput } from '../quantsim/slots';
import { preparePtq } from './ptq';
import { nextTask } from '../yieldTask';

export interface QatInput {
  modelId: string;
  backend: BackendName;
  model: tf.LayersModel;
  config: ExperimentConfig;
  calibration: LabeledSet;
  /** The train split in the seeded order of an epoch (1-based). */
  trainSet: (epoch: number) => LabeledSet;
  test: LabeledSet;
  onUpdate?: (u: QatUpdate) => void;
  shouldStop?: () => boolean;
  isPaused?: () => boolean;
}

export interface QatRun {
  result: QatResult;
  /** The trained model, for export; null if no epoch finished. */
  snapshot: QatSnapshot | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The kernels' biases as bias correction left them (paper Table 9 starts QAT from CLE + BC). */
function withCorrectedBiases(p: PreparedWeights): PreparedWeights {
  const nodes = p.ir.nodes.map((n) => {
    const bias = p.weights.get(n.name)?.bias;
    const old = n.weights.bias;
    return bias && old
      ? { ...n, weights: { ...n.weights, bias: { values: bias, shape: old.shape } } }
      : n;
  });
  return { ...p, ir: { ...p.ir, nodes } };
}

/** The deployed view of a snapshot: fixed fake quant of its kernels and activations. */
export function snapshotExecutable(s: QatSnapshot): Executable {
  return prepare(s.ir, {
    weightTransform: (node, name, values) =>
      (name === 'kernel' ? s.weights.get(node.name)?.quantized : undefined) ?? values,
    activationTransform: (name, t) => {
      const e = s.activations.get(name);
      return e ? fakeQuantTensor(t, e) : t;
    },
    placement: [...s.activations.keys()],
  });
}

async function rangeOf(p: QuantParam): Promise<QatRange> {
  const e = await p.encodings();
  const scale = e.scale.reduce((a, b) => a + b, 0) / Math.max(1, e.scale.length);
  return { min: Math.min(...e.min), max: Math.max(...e.max), scale };
}

async function ranges(model: QatModel) {
  const read = async (m: ReadonlyMap<string, QuantParam>) => {
    const out: Record<string, QatRange> = {};
    for (const [node, p] of m) out[node] = await rangeOf(p);
    return out;
  };
  return {
    weights: await read(model.weightParams),
    activations: await read(model.activationParams),
  };
}

export async function runQat(input: QatInput): Promise<QatRun> {
  const { config, shouldStop } = input;
  const qat = config.qat;
  const stop = shouldStop ? { shouldStop } : {};
  const t0 = performance.now();
  const warnings: string[] = [];
  if (qat.bn === 'keep' && (config.ptq.cle || config.ptq.biasAbsorption))
    throw playgroundError('QAT_SETUP', {
      detail:
        'keeping BN cannot be combined with CLE or bias absorption, which rewrite the folded weights',
    });
  if (config.ptq.adaround > 0)
    warnings.push('AdaRound is not used to initialise QAT: QAT learns the weights themselves.');
  const ptqConfig = { ...config, ptq: { ...config.ptq, adaround: 0 } };
  const { prepared: ptq } = await preparePtq({
    model: input.model,
    config: ptqConfig,
    calibration: input.calibration,
    evaluation: null,
    ...stop,
  });
  const prepared = withCorrectedBiases(ptq);
  const sim = await createQuantSim(prepared, input.calibration, stop);
  if (sim.weights.size + sim.activations.size === 0)
    throw playgroundError('QAT_SETUP', {
      detail: 'every quantizer is FP32, so there is nothing to train',
    });
  for (const p of [...sim.weights.values()].map((w) => w.encodings))
    if (p.scheme === 'power-of-two' && qat.learnRanges) {
      warnings.push(
        'Power-of-two scales stay fixed during QAT (a learned scale would leave the grid).',
      );
      break;
    }
  const fp = sim.fp;
  const out = softmaxInput(sim.ir) ?? (sim.ir.outputs[0] as string);
  const trainCount = Math.min(input.trainSet(1).count, qat.trainLimit ?? Infinity);
  const stepsPerEpoch = Math.ceil(trainCount / qat.batchSize);
  const result: QatResult = {
    modelId: input.modelId,
    backend: input.backend,
    link: encodeConfig(config),
    status: 'preparing',
    count: input.test.count,
    trainCount,
    stepsPerEpoch,
    totalSteps: stepsPerEpoch * qat.epochs,
    fp32Accuracy: NaN,
    ptqAccuracy: NaN,
    accuracy: NaN,
    steps: [],
    epochs: [],
    ranges: [],
    warnings,
    millis: { setup: 0, training: 0, evaluation: 0 },
  };
  // Deltas, not structuredClone(result): a whole-result clone per step grew with the run.
  const update = qatUpdates(result);
  const send = (progress: Progress) => input.onUpdate?.(update(progress));
  let model: QatModel | null = null;
  let snapshot: QatSnapshot | null = null;
  const schedule = scheduledOptimizer(qat.optimizer, qat.learningRate);
  const optimizer = schedule.optimizer;
  try {
    model = createQatModel(prepared, sim.activations, {
      learnRanges: qat.learnRanges,
      bn: qat.bn,
      ...(qat.bn === 'keep' ? { original: await importModel(input.model) } : {}),
    });
    const measure = async (epoch: number, step: number): Promise<QatEpoch> => {
      const started = performance.now();
      snapshot = await (model as QatModel).snapshot();
      const q = snapshotExecutable(snapshot);
      try {
        const r = await compareRuns(fp, q, input.test, [out], {
          ...stop,
          onProgress: (done, total) => send({ phase: `Testing after epoch ${epoch}`, done, total }),
        });
        result.fp32Accuracy = r.fpCorrect / Math.max(1, r.count);
        const weightSqnrDb: Record<string, number> = {};
        for (const n of snapshot.ir.nodes) {
          const w = snapshot.weights.get(n.name);
          if (w && n.weights.kernel)
            weightSqnrDb[n.name] = sqnrDb(n.weights.kernel.values, w.quantized);
        }
        const millis = performance.now() - started;
        result.millis.evaluation += millis;
        return {
          epoch,
          step,
          testAccuracy: r.qCorrect / Math.max(1, r.count),
          outputSqnrDb: r.sqnrDb.get(out) ?? Infinity,
          weightSqnrDb,
          millis,
        };
      } finally {
        q.dispose();
      }
    };
    const e0 = await measure(0, 0);
    result.epochs.push(e0);
    result.ptqAccuracy = e0.testAccuracy;
    result.accuracy = e0.testAccuracy;
    result.ranges.push({ step: 0, ...(await ranges(model)) });
    result.millis.setup = performance.now() - t0;
    result.status = 'training';
    send({ phase: 'QAT: PTQ starting point measured', done: 0, total: result.totalSteps });

    const vars = model.trainable();
    const rangeEvery = Math.max(1, Math.floor(stepsPerEpoch / 10));
    let step = 0;
    for (let epoch = 1; epoch <= qat.epochs; epoch++) {
      const set = input.trainSet(epoch);
      for (let start = 0; start < trainCount; start += qat.batchSize) {
        while (input.isPaused?.()) {
          if (shouldStop?.()) throw new CancelledError();
          if (result.status !== 'paused') {
            result.status = 'paused';
            send({ phase: 'QAT paused', done: step, total: result.totalSteps });
          }
          await sleep(50);
        }
        if (result.status === 'paused') result.status = 'training';
        if (shouldStop?.()) throw new CancelledError();
        const stepStart = performance.now();
        schedule.at(step, result.totalSteps);
        const { x, labels } = set.batch(start, Math.min(trainCount, start + qat.batchSize));
        let predicted: tf.Tensor | null = null;
        const m = model;
        const cost = optimizer.minimize(
          () => {
            const logits = m.logits(x, true);
            predicted = tf.keep(tf.argMax(logits, -1));
            const y = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[logits.rank - 1] ?? 1);
            return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
          },
          true,
          vars,
        );
        m.updateBnStatistics();
        x.dispose();
        const [lossV, predV] = await Promise.all([
          cost ? cost.data() : Promise.resolve(new Float32Array([NaN])),
          (predicted as tf.Tensor | null)?.data() ?? Promise.resolve(new Int32Array()),
        ]);
        tf.dispose(
          [cost as tf.Tensor, predicted as tf.Tensor | null].filter((t): t is tf.Tensor => !!t),
        );
        let correct = 0;
        labels.forEach((l, i) => (correct += predV[i] === l ? 1 : 0));
        step++;
        result.steps.push({
          step,
          epoch,
          loss: lossV[0] ?? NaN,
          trainAccuracy: correct / Math.max(1, labels.length),
        });
        if (step % rangeEvery === 0) result.ranges.push({ step, ...(await ranges(m)) });
        result.millis.training += performance.now() - stepStart;
        send({ phase: `QAT epoch ${epoch}/${qat.epochs}`, done: step, total: result.totalSteps });
        await nextTask();
      }
      const e = await measure(epoch, step);
      result.epochs.push(e);
      result.accuracy = e.testAccuracy;
      send({
        phase: `QAT epoch ${epoch}/${qat.epochs} measured`,
        done: step,
        total: result.totalSteps,
      });
    }
    result.status = 'done';
    send({ phase: 'QAT done', done: step, total: result.totalSteps });
    return { result, snapshot };
  } finally {
    optimizer.dispose();
    model?.dispose();
    sim.dispose();
  }
}
