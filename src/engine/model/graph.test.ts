import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { importModel } from './graph';
import type { IrNode, ModelIR } from './ir';
import { TEST_MODELS, functional, mlp, randomizeWeights } from './testModels';

const byName = (ir: ModelIR, name: string): IrNode => {
  const n = ir.nodes.find((m) => m.name === name);
  if (!n) throw new Error(`no node ${name}`);
  return n;
};

describe('importModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(Object.entries(TEST_MODELS))(
    '%s: nodes in topological order, unique names',
    async (_, build) => {
      const model = build();
      const ir = await importModel(model);
      const seen = new Set<string>();
      for (const n of ir.nodes) {
        for (const i of n.inputs) expect(seen.has(i), `${n.name} reads ${i}`).toBe(true);
        expect(seen.has(n.name)).toBe(false);
        seen.add(n.name);
      }
      expect(ir.inputs.every((i) => byName(ir, i).type === 'input')).toBe(true);
      expect(ir.outputs).toHaveLength(1);
      model.dispose();
    },
  );

  it('sequential: types, fused activations, softmax split off the Dense head', async () => {
    const model = mlp();
    const ir = await importModel(model);
    expect(ir.nodes.map((n) => n.type)).toEqual([
      'input',
      'flatten',
      'dense',
      'dropout',
      'dense',
      'dense',
      'activation',
    ]);
    expect(byName(ir, 'd1').config).toEqual({ activation: 'relu' });
    expect(byName(ir, 'out/preact')).toMatchObject({
      type: 'dense',
      config: { activation: 'linear' },
      layer: 'out',
    });
    expect(byName(ir, 'out')).toMatchObject({
      type: 'activation',
      config: { fn: 'softmax' },
      inputs: ['out/preact'],
    });
    expect(byName(ir, 'd1').weights.kernel?.shape).toEqual([16, 8]);
    expect(byName(ir, 'd1').outputShape).toEqual([null, 8]);
    expect(ir.outputs).toEqual(['out']);
    model.dispose();
  });

  it('functional: separable split, shared layer calls, merge inputs, layer attributes', async () => {
    const model = functional();
    const ir = await importModel(model);
    expect(byName(ir, 'pad').config).toEqual({
      padding: [
        [1, 0],
        [0, 1],
      ],
    });
    const dw = byName(ir, 'sep/depthwise');
    expect(dw).toMatchObject({
      type: 'depthwiseConv2d',
      inputs: ['pad'],
      outputShape: [null, 6, 6, 6],
    });
    expect(dw.weights.kernel?.shape).toEqual([2, 2, 3, 2]);
    expect(dw.weights.bias).toBeUndefined();
    const pw = byName(ir, 'sep');
    expect(pw).toMatchObject({
      type: 'conv2d',
      inputs: ['sep/depthwise'],
      config: { strides: [1, 1], padding: 'valid' },
    });
    expect(pw.weights.kernel?.shape).toEqual([1, 1, 6, 4]);
    expect(pw.weights.bias?.shape).toEqual([4]);
    expect(byName(ir, 'a_relu6').config).toEqual({ fn: 'relu6' });
    expect(byName(ir, 'shared#0').inputs).toEqual(['a_relu6']);
    expect(byName(ir, 'shared#1').inputs).toEqual(['shared#0']);
    expect(byName(ir, 'add').inputs).toEqual(['a_relu6', 'shared#0', 'shared#1']);
    expect(byName(ir, 'cat').inputs).toEqual(['add_bn', 'late_bn']);
    expect(byName(ir, 'relu_conv').config).toMatchObject({ activation: 'relu', dilation: [1, 1] });
    expect(byName(ir, 'shape').config).toEqual({ targetShape: [2, 3] });
    expect(byName(ir, 'probs').config).toEqual({ fn: 'softmax' });
    const bn = byName(ir, 'add_bn');
    expect(Object.keys(bn.weights).sort()).toEqual([
      'beta',
      'gamma',
      'movingMean',
      'movingVariance',
    ]);
    expect(bn.config).toEqual({ epsilon: 0.001 });
    model.dispose();
  });

  it('copies weights: editing the IR does not touch the model', async () => {
    const model = mlp();
    randomizeWeights(model, 3);
    const ir = await importModel(model);
    const kernel = byName(ir, 'd1').weights.kernel;
    const before = await model.getLayer('d1').getWeights()[0]?.data();
    kernel?.values.fill(42);
    expect(Array.from((await model.getLayer('d1').getWeights()[0]?.data()) ?? [])).toEqual(
      Array.from(before ?? []),
    );
    model.dispose();
  });

  it('follows only this model’s inbound nodes for a layer used by an earlier model', async () => {
    const dense = tf.layers.dense({ units: 2, name: 'reused' });
    const inA = tf.input({ shape: [3], name: 'in_a' });
    const first = tf.model({ inputs: inA, outputs: dense.apply(inA) as tf.SymbolicTensor });
    const inB = tf.input({ shape: [3], name: 'in_b' });
    const second = tf.model({ inputs: inB, outputs: dense.apply(inB) as tf.SymbolicTensor });
    expect(dense.inboundNodes.length).toBeGreaterThan(1);
    const ir = await importModel(second);
    expect(ir.nodes.map((n) => [n.name, n.inputs])).toEqual([
      ['in_b', []],
      ['reused', ['in_b']],
    ]);
    first.dispose();
  });
});

describe('importModel: unsupported layers are named', () => {
  const cases: [string, () => tf.layers.Layer, string][] = [
    ['lstm', () => tf.layers.lstm({ units: 2, name: 'memory' }), 'LSTM'],
    ['leakyReLU', () => tf.layers.leakyReLU({ name: 'leaky' }), 'LeakyReLU'],
    [
      'layerNormalization',
      () => tf.layers.layerNormalization({ name: 'ln' }),
      'LayerNormalization',
    ],
    [
      'Activation elu',
      () => tf.layers.activation({ activation: 'elu', name: 'act' }),
      'Activation(activation=elu)',
    ],
    ['ReLU max 3', () => tf.layers.reLU({ maxValue: 3, name: 'capped' }), 'ReLU(maxValue=3)'],
  ];
  it.each(cases)('%s', async (_, make, type) => {
    const layer = make();
    const x = tf.input({ shape: [4, 3] });
    const model = tf.model({ inputs: x, outputs: layer.apply(x) as tf.SymbolicTensor });
    const error = await importModel(model).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_LAYER' });
    expect((error as Error).message).toContain(`"${layer.name}"`);
    expect((error as Error).message).toContain(type);
    model.dispose();
  });
});
