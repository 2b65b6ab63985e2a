/**
 * QAT (paper section 4) on the built-in cnn, WASM, small budgets: the training forward agrees
 * with the deployed inference path, runs are deterministic, ranges move only when learned,
 * pause/resume/cancel work between steps, nothing leaks, and bad setups are named.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { useNodeBackend } from '../backend/node';
import { digitsCalibrationSet } from '../data/calibration';
import { digitsSet, limitSet } from '../data/dataset';
import { loadDigitsSplit } from '../data/digits';
import type { DigitsSplit } from '../data/digitsFormat';
import { publicDirSource } from '../data/nodeSource';
import { CancelledError } from '../eval/evaluate';
import type { QatUpdate } from '../events';
import { createQatModel } from '../qat/qatModel';
import { createQuantSim, prepareWeights } from '../quantsim/quantSim';
import { EngineSession } from '../session';
import { runQat, snapshotExecutable } from './qat';

let session: EngineSession;
let train: DigitsSplit;
let test: DigitsSplit;

const cfg = (link: string): ExperimentConfig => {
  const { config, problems } = decodeConfig(link);
  expect(problems).toEqual([]);
  return config;
};

async function qat(
  link: string,
  extra: {
    onUpdate?: (u: QatUpdate) => void;
    shouldStop?: () => boolean;
    isPaused?: () => boolean;
  } = {},
) {
  const config = cfg(link);
  return runQat({
    modelId: config.model,
    backend: 'wasm',
    model: await session.model(config.model),
    config,
    calibration: digitsCalibrationSet(train, config.calibration, config.seed),
    trainSet: (epoch) => digitsSet(digitsSubsetFor(epoch)),
    test: limitSet(digitsSet(test), config.evalLimit ?? undefined),
    ...extra,
  });
}

/** A fixed, different order per epoch (the session's own shuffle is tested through it). */
const digitsSubsetFor = (epoch: number): DigitsSplit => {
  const n = 8000;
  const order = Array.from({ length: n }, (_, i) => (i * 7919 + epoch * 104729) % n);
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  order.forEach((src, i) => {
    images.set(train.images.subarray(src * 784, (src + 1) * 784), i * 784);
    labels[i] = train.labels[src] ?? 0;
  });
  return { count: n, images, labels };
};

const SMALL = 'v=1&model=cnn&w=4-sym-pc-minmax&a=4-asym-pt-minmax&n=200&cal=128';

describe('QAT on cnn (WASM)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const source = publicDirSource();
    session = new EngineSession(source, () => 'wasm');
    [train, test] = await Promise.all([
      loadDigitsSplit(source, 'train'),
      loadDigitsSplit(source, 'test'),
    ]);
    await session.model('cnn');
  });

  it('the training forward (inference mode) equals the deployed fake-quant path', async () => {
    const config = cfg(SMALL);
    const prepared = await prepareWeights(await session.model('cnn'), config);
    const sim = await createQuantSim(prepared, digitsCalibrationSet(train, 128, 0));
    const model = createQatModel(prepared, sim.activations, { learnRanges: true, bn: 'fold' });
    // A second model alive at the same time must not clash on TF.js variable names.
    createQatModel(prepared, sim.activations, { learnRanges: true, bn: 'fold' }).dispose();
    const x = digitsSet(test).batch(0, 64).x;
    try {
      const snap = await model.snapshot();
      const deployed = snapshotExecutable(snap);
      const ref = sim.build();
      const logits = (exe: typeof ref) => {
        const r = exe.run(x, { collect: ['logits'] });
        const t = r.activations?.get('logits') as tf.Tensor;
        tf.dispose(r.outputs.filter((o) => o !== t));
        return t;
      };
      const [a, b, c] = [model.logits(x, false), logits(deployed), logits(ref)];
      const [av, bv, cv] = await Promise.all([a.data(), b.data(), c.data()]);
      // Three implementations of the same quantized model: the STE op, fixed fake quant from
      // the encodings it exports, and the PTQ simulation it starts from (s = s₀·exp(0) is the
      // PTQ scale exactly, so all three agree to float32 rounding of the sums).
      const step = sim.activations.get('logits')?.scale[0] ?? NaN;
      for (let i = 0; i < av.length; i++) {
        expect(Math.abs((av[i] ?? 0) - (bv[i] ?? 0))).toBeLessThan(1e-5 * step);
        expect(Math.abs((bv[i] ?? 0) - (cv[i] ?? 0))).toBeLessThan(1e-5 * step);
      }
      tf.dispose([a, b, c]);
      deployed.dispose();
      ref.dispose();
    } finally {
      x.dispose();
      model.dispose();
      sim.dispose();
    }
  });

  it('trains step by step, deterministically, ranges learned or fixed, leaving no tensors', async () => {
    const before = tf.memory().numTensors;
    const link = `${SMALL}&qat=1ep-b32-adam0.001-t320`;
    const a = await qat(link);
    expect(tf.memory().numTensors).toBe(before);
    const b = await qat(link);
    expect(a.result.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(b.result.steps).toEqual(a.result.steps);
    expect(a.result.epochs.map((e) => e.epoch)).toEqual([0, 1]);
    expect(a.result.ptqAccuracy).toBe(a.result.epochs[0]?.testAccuracy);
    expect(a.result.status).toBe('done');
    for (const s of a.result.steps) expect(Number.isFinite(s.loss)).toBe(true);
    // Learned ranges move; fixed ones do not.
    const moved = (r: typeof a.result) => {
      const first = r.ranges[0]?.activations['conv1']?.max;
      const last = r.ranges.at(-1)?.activations['conv1']?.max;
      return Math.abs((last ?? 0) - (first ?? 0));
    };
    expect(moved(a.result)).toBeGreaterThan(1e-4);
    const fixed = await qat(`${SMALL}&qat=1ep-b32-adam0.001-fixed-t320`);
    expect(moved(fixed.result)).toBe(0);
    // Weights still train with fixed ranges.
    expect(fixed.result.steps.at(-1)?.loss).not.toBe(a.result.steps.at(-1)?.loss);
  });

  it('pauses and resumes between steps, and cancels without leaking', async () => {
    const before = tf.memory().numTensors;
    let paused = false;
    let sawPause = false;
    const statuses: string[] = [];
    const r = await qat(`${SMALL}&qat=1ep-b32-adam0.001-t192`, {
      isPaused: () => paused,
      onUpdate: (u) => {
        statuses.push(u.head.status);
        if (u.from.steps + u.steps.length === 2 && !sawPause) {
          paused = true;
          sawPause = true;
          setTimeout(() => (paused = false), 150);
        }
      },
    });
    expect(statuses).toContain('paused');
    expect(r.result.steps).toHaveLength(6);
    let n = 0;
    const cancelled = qat(`${SMALL}&qat=1ep-b32-adam0.001-t320`, {
      onUpdate: () => n++,
      shouldStop: () => n > 3,
    });
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps BN with batch statistics (per-channel) and refuses it per-tensor, by name', async () => {
    const r = await qat(`${SMALL}&qat=1ep-b32-adam0.001-keepbn-t160`);
    expect(r.result.steps).toHaveLength(5);
    expect(r.result.epochs[1]?.testAccuracy).toBeGreaterThan(0.9);
    // Folding the running statistics keeps the kernel on a per-channel grid.
    const conv1 = r.snapshot?.weights.get('conv1');
    expect(conv1?.encodings.granularity).toBe('per-channel');
    await expect(
      qat('v=1&model=cnn&w=4-sym-pt-minmax&n=50&cal=64&qat=1ep-b32-adam0.001-keepbn-t64'),
    ).rejects.toThrow(/per-channel weights/);
    await expect(qat(`${SMALL}&ptq=cle&qat=1ep-b32-adam0.001-keepbn-t64`)).rejects.toThrow(/CLE/);
  });
});
