import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { foldBatchNormInto, foldModel } from './fold';
import { importModel } from './graph';
import type { IrNode, ModelIR, NodeOf, Weight } from './ir';
import { cnn, dwsep, functional, mlp, randomizeWeights, resnet } from './testModels';

const w = (values: number[], shape: number[]): Weight => ({
  values: Float32Array.from(values),
  shape,
});
const node = (ir: ModelIR, name: string): IrNode | undefined =>
  ir.nodes.find((n) => n.name === name);

/** BN with ε = 1 and σ² = [3, 0] so √(σ²+ε) = [2, 1]; γ = [2, 0.5] gives scale [1, 0.5]. */
const bn: NodeOf<'batchNorm'> = {
  name: 'bn',
  type: 'batchNorm',
  layer: 'bn',
  inputs: ['p'],
  outputShape: [null, 2],
  config: { epsilon: 1 },
  weights: {
    gamma: w([2, 0.5], [2]),
    beta: w([0.5, 0], [2]),
    movingMean: w([1, 0], [2]),
    movingVariance: w([3, 0], [2]),
  },
};

describe('foldBatchNormInto (paper §1.7, by hand)', () => {
  it('Dense [in, out]: scales columns, b̃ = β + (b − μ)·s', () => {
    const dense: NodeOf<'dense'> = {
      name: 'p',
      type: 'dense',
      layer: 'p',
      inputs: ['x'],
      outputShape: [null, 2],
      config: { activation: 'linear' },
      weights: { kernel: w([1, 2, 3, 4], [2, 2]), bias: w([1, -1], [2]) },
    };
    const folded = foldBatchNormInto(dense, bn);
    expect(Array.from(folded?.weights.kernel?.values ?? [])).toEqual([1, 1, 3, 2]);
    expect(Array.from(folded?.weights.bias?.values ?? [])).toEqual([0.5, -0.5]);
    expect(Array.from(dense.weights.kernel?.values ?? [])).toEqual([1, 2, 3, 4]); // untouched
  });

  it('DepthwiseConv2D [kh, kw, in, mult]: channel = in·mult + m; no bias → b̃ = β − μ·s', () => {
    const bn4 = {
      ...bn,
      weights: {
        movingMean: w([1, 1, 1, 1], [4]),
        movingVariance: w([0, 0, 0, 0], [4]),
        gamma: w([1, 2, 3, 4], [4]),
      },
    };
    const dw: NodeOf<'depthwiseConv2d'> = {
      name: 'p',
      type: 'depthwiseConv2d',
      layer: 'p',
      inputs: ['x'],
      outputShape: [null, 1, 1, 4],
      config: {
        strides: [1, 1],
        padding: 'valid',
        dilation: [1, 1],
        depthMultiplier: 2,
        activation: 'linear',
      },
      weights: { kernel: w([1, 1, 1, 1], [1, 1, 2, 2]) },
    };
    const folded = foldBatchNormInto(dw, bn4);
    expect(Array.from(folded?.weights.kernel?.values ?? [])).toEqual([1, 2, 3, 4]);
    expect(Array.from(folded?.weights.bias?.values ?? [])).toEqual([-1, -2, -3, -4]);
  });
});

describe('foldModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('cnn: conv (no bias) ← BN ← ReLU folded and fused, bias created', async () => {
    const model = cnn();
    randomizeWeights(model, 1);
    const ir = await importModel(model);
    const snapshot = structuredClone(ir);
    const { ir: folded, record } = foldModel(ir);
    expect(record.foldedBatchNorms).toEqual([
      { batchNorm: 'bn1', into: 'c1' },
      { batchNorm: 'bn2', into: 'c2' },
    ]);
    expect(record.fusedActivations).toEqual([
      { activation: 'r1', fn: 'relu', into: 'c1' },
      { activation: 'r2', fn: 'relu', into: 'c2' },
    ]);
    expect(folded.nodes.map((n) => n.name)).toEqual([
      'image',
      'c1',
      'mp',
      'c2',
      'ap',
      'flat',
      'out/preact',
      'out',
    ]);
    expect(node(folded, 'c1')?.config).toMatchObject({ activation: 'relu' });
    expect(node(folded, 'c1')?.weights.bias?.shape).toEqual([4]);
    expect(node(folded, 'mp')?.inputs).toEqual(['c1']);
    expect(record.outputOf).toMatchObject({ bn1: 'c1', r1: 'c1' });
    expect(ir).toEqual(snapshot); // pure: the input IR is untouched
    model.dispose();
  });

  it('dwsep: ReLU6 fused into stem, depthwise and pointwise', async () => {
    const model = dwsep();
    const { ir, record } = foldModel(await importModel(model));
    expect(record.foldedBatchNorms.map((f) => f.into)).toEqual(['stem', 'dw', 'pw']);
    expect(record.fusedActivations.map((f) => [f.into, f.fn])).toEqual([
      ['stem', 'relu6'],
      ['dw', 'relu6'],
      ['pw', 'relu6'],
    ]);
    expect(ir.nodes.map((n) => n.type)).toEqual([
      'input',
      'conv2d',
      'depthwiseConv2d',
      'conv2d',
      'globalAvgPool2d',
      'dense',
    ]);
    model.dispose();
  });

  it('mlp: dropout removed and its readers rewired', async () => {
    const model = mlp();
    const { ir, record } = foldModel(await importModel(model));
    expect(record.removed).toEqual([{ node: 'drop', type: 'dropout', input: 'd1' }]);
    expect(node(ir, 'd2')?.inputs).toEqual(['d1']);
    model.dispose();
  });

  it('functional: folds only where BN’s sole input is a linear conv read only by the BN', async () => {
    const model = functional();
    const { ir, record } = foldModel(await importModel(model));
    expect(record.foldedBatchNorms).toEqual([{ batchNorm: 'sep_bn', into: 'sep' }]);
    expect(record.fusedActivations).toEqual([{ activation: 'a_relu6', fn: 'relu6', into: 'sep' }]);
    expect(node(ir, 'add_bn')?.type).toBe('batchNorm'); // after Add: stays an affine node
    expect(node(ir, 'late_bn')?.type).toBe('batchNorm'); // conv has a fused ReLU before it
    expect(node(ir, 'tanh')?.type).toBe('activation');
    expect(node(ir, 'shared#0')?.inputs).toEqual(['sep']);
    model.dispose();
  });

  it('resnet: ReLU after Add is not fused; BN in the residual branch is', async () => {
    const model = resnet();
    const { ir, record } = foldModel(await importModel(model));
    expect(record.foldedBatchNorms).toHaveLength(4);
    expect(record.fusedActivations.map((f) => f.activation)).toEqual(['b1_r1', 'b2_r1']);
    expect(node(ir, 'b1_add')?.inputs).toEqual(['x', 'b1_c2']);
    expect(node(ir, 'b1_out')?.type).toBe('activation');
    model.dispose();
  });

  it('does not fold a BN whose producer has another reader', async () => {
    const x = tf.input({ shape: [4, 4, 2], name: 'x' });
    const c = tf.layers
      .conv2d({ filters: 2, kernelSize: 1, name: 'c' })
      .apply(x) as tf.SymbolicTensor;
    const b = tf.layers.batchNormalization({ name: 'b' }).apply(c) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: x,
      outputs: tf.layers.add({ name: 's' }).apply([b, c]) as tf.SymbolicTensor,
    });
    const { record } = foldModel(await importModel(model));
    expect(record.foldedBatchNorms).toEqual([]);
    model.dispose();
  });
});
