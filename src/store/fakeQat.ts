/**
 * The QAT part of the fake EngineApi (fakeEngine.ts): a training run the test steps by hand,
 * its progress sent as deltas (only the entries appended since the last event) like
 * engine/qatUpdates.ts, with the pause/resume/cancel calls recorded.
 */
import type { ExperimentConfig } from '@/config/schema';
import type { EngineApi, QatResult, QatUpdate } from '@/worker/api';

export interface FakeQat {
  /** Configs QAT was started with, and the pause/resume/cancel calls that reached the engine. */
  trained: ExperimentConfig[];
  qatCalls: ('pause' | 'resume' | 'cancel')[];
  /** Sends one more training step of the pending QAT run. */
  qatStep(): void;
  /** Ends the pending QAT run with one measured epoch. */
  finishQat(): void;
  /** Rejects the pending run as cancelled (the engine-wide cancel). */
  cancel(): void;
  api: Pick<EngineApi, 'qat' | 'pauseQat' | 'resumeQat' | 'cancelQat'>;
}

/** `failure()` is read at each qat call: a message makes that call fail with it. */
export function createFakeQat(failure: () => string | null): FakeQat {
  let training: {
    resolve: (r: QatResult) => void;
    reject: (e: Error) => void;
    onUpdate: (u: QatUpdate) => void;
    result: QatResult;
    /** Entries already sent: events carry only new ones, like engine/qatUpdates.ts. */
    sent: { steps: number; epochs: number; ranges: number };
  } | null = null;
  const sendQat = () => {
    if (!training) return;
    const { steps, epochs, ranges, ...head } = structuredClone(training.result);
    const from = training.sent;
    training.sent = { steps: steps.length, epochs: epochs.length, ranges: ranges.length };
    training.onUpdate({
      progress: { phase: 'QAT epoch 1/1', done: steps.length, total: head.totalSteps },
      head,
      steps: steps.slice(from.steps),
      epochs: epochs.slice(from.epochs),
      ranges: ranges.slice(from.ranges),
      from,
    });
  };
  const cancel = () => {
    training?.reject(new Error('cancelled'));
    training = null;
  };
  const fake: FakeQat = {
    trained: [],
    qatCalls: [],
    qatStep: () => {
      if (!training) return;
      const r = training.result;
      const step = r.steps.length + 1;
      r.steps.push({ step, epoch: 1, loss: 2 / step, trainAccuracy: 0.5 + step / 100 });
      r.ranges.push({
        step,
        weights: {},
        activations: { conv1: { min: 0, max: 6 - step / 10, scale: 0.4 } },
      });
      sendQat();
    },
    finishQat: () => {
      if (!training) return;
      const r = training.result;
      r.epochs.push({ ...fakeEpoch(1, r.steps.length), testAccuracy: 0.7 });
      r.accuracy = 0.7;
      r.status = 'done';
      sendQat();
      training.resolve(structuredClone(r));
      training = null;
    },
    cancel,
    api: {
      qat: (config, onUpdate) =>
        new Promise<QatResult>((resolve, reject) => {
          fake.trained.push(config);
          const message = failure();
          if (message) {
            reject(new Error(message));
            return;
          }
          training = {
            resolve,
            reject,
            onUpdate,
            result: fakeQatResult(config),
            sent: { steps: 0, epochs: 0, ranges: 0 },
          };
          sendQat();
        }),
      pauseQat: async () => {
        fake.qatCalls.push('pause');
      },
      resumeQat: async () => {
        fake.qatCalls.push('resume');
      },
      cancelQat: async () => {
        fake.qatCalls.push('cancel');
        cancel();
      },
    },
  };
  return fake;
}

function fakeEpoch(epoch: number, step: number): QatResult['epochs'][number] {
  return {
    epoch,
    step,
    testAccuracy: 0.5,
    outputSqnrDb: 12,
    weightSqnrDb: { conv1: 14 },
    millis: 4,
  };
}

/** A QAT run right after its PTQ starting point (epoch 0) was measured. */
export function fakeQatResult(config: ExperimentConfig): QatResult {
  return {
    modelId: config.model,
    backend: 'wasm',
    link: 'v=1',
    status: 'training',
    count: 4,
    trainCount: 64,
    stepsPerEpoch: 4,
    totalSteps: 4 * config.qat.epochs,
    fp32Accuracy: 0.75,
    ptqAccuracy: 0.5,
    accuracy: 0.5,
    steps: [],
    epochs: [fakeEpoch(0, 0)],
    ranges: [{ step: 0, weights: {}, activations: { conv1: { min: 0, max: 6, scale: 0.4 } } }],
    warnings: [],
    millis: { setup: 1, training: 0, evaluation: 1 },
  };
}
