import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/engine/backend/node';
import { depthwiseRangeRatios, foldedChannelRanges, layerTable } from './stats';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

describe('foldedChannelRanges', () => {
  it('scales each channel by gamma / sqrt(var + eps) and takes max |w|', () => {
    // kernel [1, 2, 2, 1]: taps (0,0) and (0,1) for channels 0 and 1 (channel is the fastest axis).
    const kernel = Float32Array.from([0.5, -2, -1, 1]);
    const gamma = Float32Array.from([2, 0.5]);
    const variance = Float32Array.from([3, 0.999]);
    const r = foldedChannelRanges(kernel, 2, gamma, variance, 1);
    // channel 0: max(|0.5|, |-1|) * 2 / sqrt(4) = 1; channel 1: max(2, 1) * 0.5 / sqrt(1.999).
    expect(r[0]).toBeCloseTo(1, 12);
    expect(r[1]).toBeCloseTo(1 / Math.sqrt(1.999), 6);
  });
});

describe('layerTable and depthwiseRangeRatios', () => {
  it('counts parameters and MACs per layer by hand-worked values', () => {
    const input = tf.input({ shape: [6, 6, 2] });
    const dw = tf.layers.depthwiseConv2d({
      name: 'dw',
      kernelSize: 3,
      depthMultiplier: 2,
      padding: 'same',
      strides: 2,
      useBias: false,
    });
    const bn = tf.layers.batchNormalization({ name: 'bn', epsilon: 0 });
    const pw = tf.layers.conv2d({ name: 'pw', filters: 5, kernelSize: 1, useBias: false });
    const flat = tf.layers.flatten({ name: 'flat' });
    const fc = tf.layers.dense({ name: 'fc', units: 3 });
    const out = fc.apply(flat.apply(pw.apply(bn.apply(dw.apply(input))))) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const table = layerTable(model);
    expect(table.map((l) => [l.name, l.type, l.outputShape, l.params, l.macs])).toEqual([
      [model.layers[0]?.name, 'InputLayer', [6, 6, 2], 0, 0],
      ['dw', 'DepthwiseConv2D', [3, 3, 4], 36, 3 * 3 * 4 * 9],
      ['bn', 'BatchNormalization', [3, 3, 4], 16, 0],
      ['pw', 'Conv2D', [3, 3, 5], 20, 3 * 3 * 5 * 4],
      ['flat', 'Flatten', [45], 0, 0],
      ['fc', 'Dense', [3], 138, 45 * 3],
    ]);

    // Channel j of dw gets weight j+1 everywhere; BN gamma 1, variance 1 (eps 0): ranges 1..4.
    const w = tf.tidy(() => tf.tile(tf.range(1, 5).reshape([1, 1, 2, 2]), [3, 3, 1, 1]));
    dw.setWeights([w]);
    const ratios = depthwiseRangeRatios(model);
    expect(ratios).toHaveLength(1);
    expect(ratios[0]).toMatchObject({
      layer: 'dw',
      batchNorm: 'bn',
      channels: 4,
      minRange: 1,
      maxRange: 4,
      ratio: 4,
    });
    tf.dispose(w);
    model.dispose();
  });
});
