/**
 * Folded IR → TF.js Layers files → the validation gate again: the reloaded model predicts what
 * the float executor computes on the IR, re-importing gives the same nodes and weights, nothing
 * leaks, and what Keras cannot express is refused by name.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../backend/node';
import type { ByteSource } from '../data/digits';
import { imagesTensor, loadDigitsSplit } from '../data/digits';
import { publicDirSource } from '../data/nodeSource';
import { foldModel } from '../model/fold';
import { importModel } from '../model/graph';
import type { IrNode, ModelIR } from '../model/ir';
import { loadLayersModelFrom } from '../model/load';
import { compare, functional, randomInput, randomizeWeights } from '../model/testModels';
import { prepare } from '../quantsim/execute';
import { irToLayersArtifacts, WEIGHTS_FILE } from './irToLayers';

/** model.json and weights.bin held in memory, read through the same ByteSource as files. */
function memorySource(files: Record<string, Uint8Array>): ByteSource {
  return (path) => {
    const bytes = Object.hasOwn(files, path) ? files[path] : undefined;
    return bytes ? Promise.resolve(bytes) : Promise.reject(new Error(`no file ${path}`));
  };
}

async function roundTrip(ir: ModelIR): Promise<tf.LayersModel> {
  const { modelJson, weightsBin } = await irToLayersArtifacts(ir);
  const source = memorySource({
    'model.json': new TextEncoder().encode(JSON.stringify(modelJson)),
    [WEIGHTS_FILE]: new Uint8Array(weightsBin),
  });
  return loadLayersModelFrom(source, 'model.json');
}

async function foldedZoo(id: string): Promise<ModelIR> {
  const model = await loadLayersModelFrom(publicDirSource(), `models/${id}/model.json`);
  const ir = foldModel(await importModel(model)).ir;
  model.dispose();
  return ir;
}

/** Reloaded predict vs the executor on `ir`, and the reloaded model's folded IR vs `ir`. */
async function expectSameModel(ir: ModelIR, x: tf.Tensor): Promise<void> {
  const reloaded = await roundTrip(ir);
  const exe = prepare(ir);
  const { output } = exe.run(x);
  const predicted = reloaded.predict(x) as tf.Tensor;
  const { maxAbs, maxRef } = await compare(predicted, output);
  expect(maxAbs).toBeLessThan(1e-4 * Math.max(1, maxRef));
  const again = foldModel(await importModel(reloaded)).ir;
  expect(again.nodes.map((n) => [n.name, n.type, n.inputs])).toEqual(
    ir.nodes.map((n) => [n.name, n.type, n.inputs]),
  );
  expect(again.nodes.map((n) => n.config)).toEqual(ir.nodes.map((n) => n.config));
  expect(again.nodes.map((n) => n.weights)).toEqual(ir.nodes.map((n) => n.weights));
  expect([again.inputs, again.outputs]).toEqual([ir.inputs, ir.outputs]);
  tf.dispose([output, predicted]);
  exe.dispose();
  reloaded.dispose();
}

describe('irToLayersArtifacts', () => {
  let images: tf.Tensor;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    images = imagesTensor(await loadDigitsSplit(publicDirSource(), 'test'), 0, 32);
  });

  it.each(['cnn', 'dwsep', 'resnet', 'mlp'])(
    '%s: the reloaded model equals the folded IR',
    async (id) => {
      const ir = await foldedZoo(id);
      const before = tf.memory().numTensors;
      await expectSameModel(ir, images);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('writes the standard layers-model format with one weights.bin', async () => {
    const { modelJson, weightsBin } = await irToLayersArtifacts(await foldedZoo('mlp'));
    expect(modelJson['format']).toBe('layers-model');
    const manifest = modelJson['weightsManifest'] as { paths: string[]; weights: unknown[] }[];
    expect(manifest.map((g) => g.paths)).toEqual([['weights.bin']]);
    // fc1 784×128 + 128, fc2 128×64 + 64, logits 64×10 + 10 float32 values
    expect(weightsBin.byteLength).toBe(4 * (784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10));
  });

  it('exports padding, separable halves, standalone BN, concatenate, reshape, tanh', async () => {
    const x = tf.input({ shape: [6, 6, 3], name: 'x' });
    const L = tf.layers;
    const pad = L.zeroPadding2d({
      padding: [
        [1, 0],
        [0, 1],
      ],
      name: 'pad',
    }).apply(x);
    const sep = L.separableConv2d({ filters: 4, kernelSize: 2, depthMultiplier: 2, name: 'sep' });
    const a = L.reLU({ maxValue: 6, name: 'a6' }).apply(sep.apply(pad)) as tf.SymbolicTensor;
    const b = L.conv2d({ filters: 4, kernelSize: 1, name: 'b' }).apply(a) as tf.SymbolicTensor;
    const sum = L.add({ name: 'add' }).apply([a, b]);
    const bn = L.batchNormalization({ name: 'add_bn' }).apply(sum) as tf.SymbolicTensor;
    const pool = L.averagePooling2d({ poolSize: 2, name: 'ap' }).apply(bn) as tf.SymbolicTensor;
    const cat = L.concatenate({ name: 'cat' }).apply([pool, pool]);
    const gap = L.globalAveragePooling2d({ name: 'gap' }).apply(cat);
    const shaped = L.reshape({ targetShape: [2, 4], name: 'shape' }).apply(gap);
    const t = L.activation({ activation: 'tanh', name: 'tanh' }).apply(shaped);
    const flat = L.flatten({ name: 'flat' }).apply(t);
    const y = L.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(flat);
    const model = tf.model({ inputs: x, outputs: y as tf.SymbolicTensor });
    randomizeWeights(model, 7);
    const ir = foldModel(await importModel(model)).ir;
    const dw = ir.nodes.find((n) => n.name === 'sep/depthwise');
    expect(dw?.type === 'depthwiseConv2d' && dw.config.depthMultiplier).toBe(2);
    expect(ir.nodes.map((n) => n.name)).toContain('out/preact');
    const input = randomInput(model, 8, 3);
    model.dispose();
    const before = tf.memory().numTensors;
    await expectSameModel(ir, input);
    expect(tf.memory().numTensors).toBe(before);
    input.dispose();
  });

  it('refuses a per-channel ReLU6 bound (clip) by node, and leaks nothing', async () => {
    const ir = await foldedZoo('dwsep');
    const target = ir.nodes.find((n) => n.type === 'depthwiseConv2d') as IrNode;
    const channels = target.weights.bias?.values.length ?? 0;
    const clip = { values: new Float32Array(channels).fill(6), shape: [channels] };
    const clipped: ModelIR = {
      ...ir,
      nodes: ir.nodes.map((n) =>
        n === target ? ({ ...n, weights: { ...n.weights, clip } } as IrNode) : n,
      ),
    };
    const before = tf.memory().numTensors;
    await expect(irToLayersArtifacts(clipped)).rejects.toMatchObject({
      code: 'EXPORT_UNSUPPORTED',
      message: expect.stringMatching(new RegExp(`^Node "${target.name}" .*ReLU6 bound \\(clip\\)`)),
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses the calls of a shared layer by node', async () => {
    const model = functional();
    const ir = foldModel(await importModel(model)).ir;
    model.dispose();
    await expect(irToLayersArtifacts(ir)).rejects.toMatchObject({
      code: 'EXPORT_UNSUPPORTED',
      message: expect.stringContaining('Node "shared#0"'),
    });
  });
});
