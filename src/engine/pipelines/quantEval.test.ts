import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, DEFAULT_WEIGHTS, DEFAULT_ACTIVATIONS } from '@/config/defaults';
import type { ExperimentConfig } from '@/config/schema';
import { useNodeBackend } from '../backend/node';
import { digitsCalibrationSet } from '../data/calibration';
import { digitsSet, limitSet } from '../data/dataset';
import { loadDigitsSplit } from '../data/digits';
import type { DigitsSplit } from '../data/digitsFormat';
import { publicDirSource } from '../data/nodeSource';
import { evaluateAccuracy } from '../eval/evaluate';
import type { QuantUpdate } from '../events';
import { loadLayersModelFrom } from '../model/load';
import { runQuantEval } from './quantEval';

const source = publicDirSource();
let model: tf.LayersModel;
let train: DigitsSplit;
let test: DigitsSplit;

const withBits = (
  wBits: number,
  aBits: number,
  extra: Partial<ExperimentConfig> = {},
): ExperimentConfig => ({
  ...DEFAULT_CONFIG,
  model: 'mlp',
  weights: { ...DEFAULT_WEIGHTS, bits: wBits },
  activations: { ...DEFAULT_ACTIVATIONS, bits: aBits },
  calibration: 256,
  ...extra,
});

async function run(
  config: ExperimentConfig,
  n = 500,
  sensitivity = false,
  onUpdate?: (u: QuantUpdate) => void,
) {
  return runQuantEval({
    modelId: 'mlp',
    backend: 'wasm',
    model,
    config,
    calibration: digitsCalibrationSet(train, config.calibration, config.seed),
    evaluation: limitSet(digitsSet(test), n),
    sensitivity,
    ...(onUpdate ? { onUpdate } : {}),
  });
}

describe('quantization experiment on the built-in mlp (WASM)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    model = await loadLayersModelFrom(source, 'models/mlp/model.json');
    [train, test] = await Promise.all([
      loadDigitsSplit(source, 'train'),
      loadDigitsSplit(source, 'test'),
    ]);
  });

  it('reports the FP32 accuracy of model.predict and streams stages in order', async () => {
    const stages: string[] = [];
    const r = await run(withBits(8, 8), 500, false, (u) => stages.push(u.result.stage));
    const direct = await evaluateAccuracy(model, limitSet(digitsSet(test), 500));
    expect(r.fp32Accuracy).toBe(direct.accuracy);
    expect([...new Set(stages)]).toEqual(['weights', 'calibrating', 'evaluating', 'done']);
    // W8A8 min-max barely moves an MLP.
    expect(Math.abs((r.quantAccuracy ?? 0) - direct.accuracy)).toBeLessThanOrEqual(0.01);
    expect(r.layers.map((l) => l.node)).toEqual(expect.arrayContaining(['fc1', 'fc2']));
    for (const l of r.layers) if (l.weight) expect(l.weight.sqnrDb).toBeGreaterThan(30);
  });

  it('loses SQNR at every layer, and accuracy, as bits fall', async () => {
    const r8 = await run(withBits(8, 8));
    const r4 = await run(withBits(4, 4));
    const r2 = await run(withBits(2, 2));
    for (const [i, l8] of r8.layers.entries()) {
      const l4 = r4.layers[i];
      if (l8.weight?.sqnrDb && l4?.weight?.sqnrDb)
        expect(l4.weight.sqnrDb).toBeLessThan(l8.weight.sqnrDb - 15);
      if (l8.activation?.sqnrDb && l4?.activation?.sqnrDb)
        expect(l4.activation.sqnrDb).toBeLessThan(l8.activation.sqnrDb);
    }
    expect(r8.outputSqnrDb ?? 0).toBeGreaterThan(r4.outputSqnrDb ?? 0);
    expect(r4.outputSqnrDb ?? 0).toBeGreaterThan(r2.outputSqnrDb ?? 0);
    expect(r2.quantAccuracy ?? 1).toBeLessThan((r8.quantAccuracy ?? 0) - 0.1);
  });

  it('keeps a layer in float when overridden, and its sensitivity is then the FP32 accuracy', async () => {
    const r = await run(withBits(2, 8, { overrides: { fc1: { weights: 'fp32' } } }), 300, true);
    const fc1 = r.layers.find((l) => l.node === 'fc1');
    expect(fc1?.weight?.choice).toBe('fp32');
    expect(fc1?.weight?.encoding).toBeNull();
    const fc2 = r.layers.find((l) => l.node === 'fc2');
    expect(fc2?.weight?.choice).toBe('2-sym-pc-minmax');
    // Sensitivity: one layer at a time; the 2-bit layer must hurt more than the FP32-weight one.
    expect(fc2?.sensitivity?.accuracy ?? 1).toBeLessThan(fc1?.sensitivity?.accuracy ?? 0);
    // Cumulative at the last layer is the whole quantized model.
    expect(r.layers.at(-1)?.cumulative?.accuracy).toBe(r.quantAccuracy);
  });

  it('leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    await run(withBits(4, 8), 100, true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same numbers for the same config (seeded calibration)', async () => {
    const a = await run(withBits(4, 4, { seed: 7 }), 200);
    const b = await run(withBits(4, 4, { seed: 7 }), 200);
    expect(b.layers).toEqual(a.layers);
    expect(b.quantAccuracy).toBe(a.quantAccuracy);
  });
});
