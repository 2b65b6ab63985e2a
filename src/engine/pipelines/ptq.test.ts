/**
 * The PTQ pipeline (paper 3.5) inside a quantization run: the ladder of measured steps, what
 * each step reports, that the run's final numbers are the last rung's, no leaks, cancellation.
 * The algorithms themselves are tested in engine/ptq/.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { digitsCalibrationSet } from '../data/calibration';
import { digitsSet, limitSet } from '../data/dataset';
import { loadDigitsSplit } from '../data/digits';
import type { DigitsSplit } from '../data/digitsFormat';
import { publicDirSource } from '../data/nodeSource';
import { CancelledError } from '../eval/evaluate';
import type { QuantUpdate } from '../events';
import { EngineSession } from '../session';
import { runQuantEval } from './quantEval';

let session: EngineSession;
let train: DigitsSplit;
let test: DigitsSplit;

async function run(
  link: string,
  n: number,
  extra: { onUpdate?: (u: QuantUpdate) => void; shouldStop?: () => boolean } = {},
) {
  const { config, problems } = decodeConfig(link);
  expect(problems).toEqual([]);
  return runQuantEval({
    modelId: config.model,
    backend: 'wasm',
    model: await session.model(config.model),
    config,
    calibration: digitsCalibrationSet(train, config.calibration, config.seed),
    evaluation: limitSet(digitsSet(test), n),
    sensitivity: false,
    ...extra,
  });
}

describe('PTQ steps in a quantization run (WASM)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const source = publicDirSource();
    session = new EngineSession(source, () => 'wasm');
    [train, test] = await Promise.all([
      loadDigitsSplit(source, 'train'),
      loadDigitsSplit(source, 'test'),
    ]);
  });

  it('dwsep per-tensor W8A8 + CLE + bias absorption: the CLE rung recovers the accuracy', async () => {
    await session.model('dwsep'); // the session keeps one model; count only the run's tensors
    const before = tf.memory().numTensors;
    const r = await run('v=1&model=dwsep&w=8-sym-pt-minmax&cal=256&ptq=cle-ba', 500);
    expect(tf.memory().numTensors).toBe(before);
    const steps = r.ptq?.steps ?? [];
    expect(steps.map((s) => s.step)).toEqual(['baseline', 'cle']);
    const [base, cle] = steps;
    // Measured: 85.0% → 98.2% on these 500 images (FP32 98.4%).
    expect(cle?.accuracy ?? 0).toBeGreaterThan((base?.accuracy ?? 1) + 0.08);
    expect(cle?.outputSqnrDb ?? 0).toBeGreaterThan((base?.outputSqnrDb ?? Infinity) + 10);
    // The run's own result is the last rung (same weights, same calibration).
    expect(r.quantAccuracy).toBe(cle?.accuracy);
    // Every depthwise layer is in the CLE report, its channel spread cut from > 70x to < 5x.
    const spread = (v: number[]) => Math.max(...v) / Math.min(...v.filter((x) => x > 0));
    const dw = r.ptq?.cle?.ranges.filter((x) => x.node.startsWith('dw')) ?? [];
    expect(dw.map((x) => x.node)).toEqual(['dw1', 'dw2', 'dw3', 'dw4']);
    for (const x of dw) {
      expect(spread(x.before)).toBeGreaterThan(70);
      expect(spread(x.after)).toBeLessThan(5);
    }
    // The layer table's weight SQNR is that of the equalized kernels.
    for (const l of r.layers)
      if (l.weight?.sqnrDb !== undefined && cle)
        expect(l.weight.sqnrDb).toBe(cle.weightSqnrDb[l.node]);
  });

  it('cnn W4A8 per-channel + AdaRound + bias correction: every rung measured, streamed live', async () => {
    const updates: QuantUpdate[] = [];
    const r = await run('v=1&model=cnn&w=4-sym-pc-mse&a=8-asym-pt-mse&cal=128&ptq=ar60-bce', 300, {
      onUpdate: (u) => updates.push(u),
    });
    expect(r.ptq?.steps.map((s) => s.step)).toEqual(['baseline', 'adaround', 'bias-correction']);
    const ada = r.ptq?.adaround ?? [];
    expect(ada.map((a) => a.node)).toEqual(['conv1', 'conv2', 'conv3', 'logits']);
    for (const a of ada) {
      expect(a.iterations).toBe(60);
      expect(a.adaroundMse).toBeLessThan(a.nearestMse); // Eq. 35's objective went down
      expect(a.adaroundWeightMse).toBeGreaterThanOrEqual(a.nearestWeightMse); // nearest is the min
      expect(a.loss.length).toBeGreaterThan(5);
    }
    // Live: an update showed a layer mid-optimisation (its MSEs not known yet).
    expect(
      updates.some((u) => u.result.ptq?.adaround?.some((a) => Number.isNaN(a.adaroundMse))),
    ).toBe(true);
    const bc = r.ptq?.biasCorrection;
    expect(bc?.mode).toBe('empirical');
    expect(bc?.layers.map((l) => l.node)).toEqual(['conv1', 'conv2', 'conv3', 'logits']);
    for (const l of bc?.layers ?? []) expect(l.after).toBeLessThan(0.5 * l.before);
    expect(r.quantAccuracy).toBe(r.ptq?.steps.at(-1)?.accuracy);
  });

  it('stops mid-AdaRound with a CancelledError and leaves no tensors behind', async () => {
    await session.model('cnn');
    const before = tf.memory().numTensors;
    let seen = 0;
    const attempt = run('v=1&model=cnn&w=4-sym-pc-mse&cal=64&ptq=ar2000', 100, {
      onUpdate: (u) => {
        if (u.result.ptq?.adaround?.length) seen++;
      },
      shouldStop: () => seen > 3,
    });
    await expect(attempt).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
