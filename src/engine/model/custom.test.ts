import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { PUBLIC_DIR, publicDirSource } from '../data/nodeSource';
import { EngineSession } from '../session';
import type { UploadedFile } from './upload';

const MLP_DIR = join(PUBLIC_DIR, 'models', 'mlp');
const mlpJson = () =>
  JSON.parse(readFileSync(join(MLP_DIR, 'model.json'), 'utf8')) as {
    modelTopology: { config: { layers: { class_name: string; name: string; config: object }[] } };
  };
const mlpWeights = () => new Uint8Array(readFileSync(join(MLP_DIR, 'weights.bin')));
const jsonFile = (name: string, value: unknown): UploadedFile => ({
  name,
  bytes: new TextEncoder().encode(JSON.stringify(value)),
});
const config = (hash: string) => decodeConfig(hash).config;

describe('uploaded models in the session', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('lists a valid upload as custom-1 with the zoo model’s numbers on the same weights', async () => {
    const session = new EngineSession(publicDirSource(), () => 'wasm');
    const card = await session.uploadModel([
      jsonFile('model.json', mlpJson()),
      { name: 'weights.bin', bytes: mlpWeights() },
    ]);
    const zoo = (await session.listModels()).find((m) => m.id === 'mlp');
    expect(card).toMatchObject({ id: 'custom-1', title: 'model.json', dataset: 'digits' });
    expect(card.uploaded).toBe(true);
    expect(card.params).toBe(zoo?.params);
    expect(card.macsPerImage).toBe(zoo?.macsPerImage);
    expect(card.testCount).toBe(zoo?.testCount);
    const hash = 'v=1&n=100&cal=32';
    const mine = await session.quantize(config(`${hash}&model=custom-1`), { sensitivity: false });
    const theirs = await session.quantize(config(`${hash}&model=mlp`), { sensitivity: false });
    // After switching away and back, custom-1 reloads from the kept bytes.
    const again = await session.quantize(config(`${hash}&model=custom-1`), { sensitivity: false });
    expect(mine.fp32Accuracy).toBe(theirs.fp32Accuracy);
    expect(mine.quantAccuracy).toBe(theirs.quantAccuracy);
    expect(again.quantAccuracy).toBe(mine.quantAccuracy);
    await session.dispose();
  });

  it('reports an unsupported layer at upload, and leaves the loaded model as it was', async () => {
    const before = tf.memory().numTensors;
    const session = new EngineSession(publicDirSource(), () => 'wasm');
    const loaded = await session.model('mlp');
    const json = mlpJson();
    const relu = json.modelTopology.config.layers.find((l) => l.name === 'relu1');
    if (relu) relu.class_name = 'ELU'; // valid for TF.js, not for the playground's IR
    await expect(
      session.uploadModel([
        jsonFile('elu.json', json),
        { name: 'weights.bin', bytes: mlpWeights() },
      ]),
    ).rejects.toMatchObject({
      code: 'UNSUPPORTED_LAYER',
      message: 'elu.json: Layer "relu1" has type ELU, which the playground does not support.',
    });
    expect(await session.model('mlp')).toBe(loaded);
    expect((await session.listModels()).map((m) => m.id)).not.toContain('custom-1');
    const r = await session.evaluateFp32({ modelId: 'mlp', limit: 20 });
    expect(r.count).toBe(20);
    await session.dispose();
    expect(tf.memory().numTensors).toBe(before); // the rejected model was disposed
  });

  it('names the weight file holding a NaN, and a model whose shapes fit no data set', async () => {
    const session = new EngineSession(publicDirSource(), () => 'wasm');
    const weights = mlpWeights();
    new DataView(weights.buffer).setFloat32(40, Number.NaN, true);
    await expect(
      session.uploadModel([
        jsonFile('model.json', mlpJson()),
        { name: 'weights.bin', bytes: weights },
      ]),
    ).rejects.toThrow('weights.bin: weight "fc1/kernel" holds NaN at element 10');
    const json = mlpJson();
    const input = json.modelTopology.config.layers[0]?.config as { batch_input_shape: unknown };
    input.batch_input_shape = [null, 14, 56, 1]; // same 784 pixels, so the weights still fit
    await expect(
      session.uploadModel([
        jsonFile('model.json', json),
        { name: 'weights.bin', bytes: mlpWeights() },
      ]),
    ).rejects.toMatchObject({
      code: 'MODEL_DATASET',
      message: expect.stringContaining('model.json: a model with input [14,56,1] and output [10]'),
    });
    await session.dispose();
  });
});
