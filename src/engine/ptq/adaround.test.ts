/**
 * AdaRound on single synthetic layers (paper 3.4): the row form of each layer type equals the
 * executor's op, the result is on the grid and only ever rounds down or up, the same seed gives
 * the same codes, the optimised rounding beats round-to-nearest on the layer output, and no
 * tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { adaroundGrid } from '@/quant/adaround';
import { fakeQuant } from '@/quant/affine';
import { encodingsFromRanges } from '@/quant/encodings';
import { perChannelMinMax } from '@/quant/granularity';
import { mulberry32, randNormal } from '@/quant/random';
import type { Encodings, GridSpec } from '@/quant/types';
import { useNodeBackend } from '../backend/node';
import { CancelledError } from '../eval/evaluate';
import { outChannels, type WeightedNode } from '../model/ir';
import { applyNode } from '../quantsim/ops';
import { adaroundLayer } from './adaround';
import {
  disposeBatch,
  groupedChannels,
  groupedForward,
  groupedKernel,
  layerRows,
  makeBatch,
  rowGeometry,
} from './adaroundRows';

const normal = (n: number, seed: number, sd = 1) => {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => sd * randNormal(rng));
};
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const weight = (shape: number[], seed: number, sd = 0.3) => ({
  values: normal(size(shape), seed, sd),
  shape,
});

type ConvOptions = Partial<{
  strides: [number, number];
  padding: 'same' | 'valid';
  dilation: [number, number];
  activation: 'linear' | 'relu' | 'relu6';
}>;

function conv(type: 'conv2d' | 'depthwiseConv2d', kernel: number[], o: ConvOptions = {}) {
  const channels = type === 'conv2d' ? (kernel[3] ?? 1) : (kernel[2] ?? 1) * (kernel[3] ?? 1);
  const config = {
    strides: o.strides ?? [1, 1],
    padding: o.padding ?? 'same',
    dilation: o.dilation ?? [1, 1],
    activation: o.activation ?? 'relu',
    ...(type === 'depthwiseConv2d' ? { depthMultiplier: kernel[3] ?? 1 } : {}),
  };
  return {
    name: `${type}_${kernel.join('x')}`,
    type,
    layer: 'l',
    inputs: ['input'],
    outputShape: [null],
    config,
    weights: { kernel: weight(kernel, 1), bias: weight([channels], 2, 0.1) },
  } as WeightedNode;
}

const dense = (inp: number, out: number): WeightedNode => ({
  name: 'fc',
  type: 'dense',
  layer: 'fc',
  inputs: ['input'],
  outputShape: [null, out],
  config: { activation: 'relu' },
  weights: { kernel: weight([inp, out], 3), bias: weight([out], 4, 0.1) },
});

/** Per-channel min-max encodings of a node's kernel. */
function encodingsOf(node: WeightedNode, spec: GridSpec): Encodings {
  const layout = { channels: outChannels(node), inner: 1 };
  const values = node.weights.kernel?.values ?? new Float32Array();
  return encodingsFromRanges(perChannelMinMax(values, layout), spec, layout);
}

const nodeWeights = (node: WeightedNode) =>
  new Map(
    (['kernel', 'bias'] as const).map((k) => {
      const w = node.weights[k];
      return [k, tf.tensor(w?.values ?? [], w?.shape as number[])] as const;
    }),
  );

/** The layer's input and FP output on `n` random inputs. */
function data(node: WeightedNode, inputShape: number[], n: number, seed: number) {
  const x = tf.tensor(normal(n * size(inputShape), seed), [n, ...inputShape]);
  const w = nodeWeights(node);
  const target = tf.tidy(() => applyNode(node, [x], w));
  tf.dispose([...w.values()]);
  return { x, target };
}

beforeAll(() => useNodeBackend('wasm'));

describe('AdaRound rows (im2col) reproduce the executor op', () => {
  const cases: [WeightedNode, number[]][] = [
    [conv('conv2d', [3, 3, 4, 5]), [9, 9, 4]],
    [conv('conv2d', [3, 3, 4, 5], { strides: [2, 2], padding: 'valid' }), [9, 9, 4]],
    [conv('conv2d', [3, 2, 3, 4], { strides: [2, 1], padding: 'same' }), [8, 7, 3]],
    [conv('conv2d', [3, 3, 2, 3], { dilation: [2, 2], padding: 'same' }), [9, 9, 2]],
    [conv('conv2d', [1, 1, 6, 4]), [5, 5, 6]],
    [conv('depthwiseConv2d', [3, 3, 4, 1], { strides: [2, 2] }), [9, 9, 4]],
    [conv('depthwiseConv2d', [3, 3, 3, 2], { activation: 'relu6' }), [6, 6, 3]],
    [dense(12, 5), [12]],
  ];
  for (const [node, inputShape] of cases) {
    it(`${node.name} ${JSON.stringify(node.config)}`, async () => {
      const { x, target } = data(node, inputShape, 3, 7);
      // All rows as one batch, in order; the target [P, G·M] -> [G, P, M].
      const geo = rowGeometry(node);
      const rows = layerRows(node, x);
      const flatTarget = tf.reshape(target, [-1, outChannels(node)]);
      const [rv, tv] = await Promise.all([rows.data(), flatTarget.data()]);
      const count = rows.shape[0];
      const batch = makeBatch(geo, rv as Float32Array, tv as Float32Array, [
        ...Array(count).keys(),
      ]);
      const kernel = tf.tensor(node.weights.kernel?.values ?? [], [
        ...(node.weights.kernel?.shape ?? []),
      ]);
      const bias = groupedChannels(node, node.weights.bias?.values ?? new Float32Array());
      const y = tf.tidy(() => groupedForward(node, batch, groupedKernel(node, kernel), bias, null));
      const expected = batch.target;
      expect(y.shape).toEqual([geo.groups, count, geo.m]);
      const [a, b] = await Promise.all([y.data(), expected.data()]);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i] as number, 4);
      disposeBatch(batch);
      tf.dispose([x, target, y, rows, flatTarget, kernel, bias]);
    });
  }
});

describe('adaroundLayer', () => {
  const node = conv('conv2d', [3, 3, 4, 6]);
  const sym4: GridSpec = { bits: 4, scheme: 'symmetric' };

  it('ends on the grid, rounding each weight down or up, below nearest on the output', async () => {
    const { x, target } = data(node, [8, 8, 4], 16, 11);
    const enc = encodingsOf(node, sym4);
    const before = tf.memory().numTensors;
    const r = await adaroundLayer(node, enc, x, target, {
      iterations: 300,
      batchSize: 256,
      seed: 1,
    });
    expect(tf.memory().numTensors).toBe(before);
    const w = node.weights.kernel?.values ?? new Float32Array();
    const g = adaroundGrid(w, enc);
    for (let i = 0; i < r.codes.length; i++) {
      const q = r.codes[i] as number;
      expect(Number.isInteger(q) && q >= enc.qmin && q <= enc.qmax).toBe(true);
      const down = Math.min(enc.qmax, Math.max(enc.qmin, g.base[i] as number));
      const up = Math.min(enc.qmax, Math.max(enc.qmin, (g.base[i] as number) + 1));
      expect(q === down || q === up).toBe(true);
      expect(r.quantized[i]).toBe(
        Math.fround((q - (g.zeroPoint[i] as number)) * (g.scale[i] as number)),
      );
    }
    // Nearest minimises the weight error; AdaRound the layer-output error (Eq. 31 vs 35).
    expect(r.weightMse.adaround).toBeGreaterThanOrEqual(r.weightMse.nearest);
    expect(r.reconstructionMse.adaround).toBeLessThan(r.reconstructionMse.nearest);
    expect(r.fractionChanged).toBeGreaterThan(0);
    // Gradient sanity: once the rounding loss is on, the total falls as h is pushed to 0 or 1.
    const active = r.lossCurve.filter((p) => p.rounding > 0);
    const first = active[0]?.total ?? 0;
    const last = r.lossCurve[r.lossCurve.length - 1]?.total ?? Infinity;
    expect(last).toBeLessThan(0.5 * first);
    // h(V0) = rest: W̃ = W except where the grid clips, far below nearest's error (summed
    // over the 6 channels here, a mean per value in reconstructionMse).
    console.log(r.lossCurve, r.reconstructionMse, r.weightMse, r.fractionChanged);
    expect(r.lossCurve[0]?.reconstruction).toBeLessThan(0.5 * 6 * r.reconstructionMse.nearest);
    tf.dispose([x, target]);
  });

  it('is deterministic for a seed and honours the asymmetric zero point', async () => {
    const dw = conv('depthwiseConv2d', [3, 3, 4, 2], { activation: 'relu6' });
    const { x, target } = data(dw, [7, 7, 4], 8, 5);
    const enc = encodingsOf(dw, { bits: 3, scheme: 'asymmetric' });
    expect(enc.zeroPoint.some((z) => z !== 0)).toBe(true);
    const opts = { iterations: 120, batchSize: 64, seed: 3 };
    const a = await adaroundLayer(dw, enc, x, target, opts);
    const b = await adaroundLayer(dw, enc, x, target, opts);
    expect(Array.from(a.codes)).toEqual(Array.from(b.codes));
    expect(a.lossCurve).toEqual(b.lossCurve);
    expect(a.reconstructionMse.adaround).toBeLessThan(a.reconstructionMse.nearest);
    const nearest = fakeQuant(dw.weights.kernel?.values ?? new Float32Array(), enc);
    expect(a.reconstructionMse.nearest).toBeGreaterThan(0);
    expect(a.weightMse.nearest).toBeCloseTo(
      nearest.reduce((s, v, i) => s + (v - (dw.weights.kernel?.values[i] ?? 0)) ** 2, 0) /
        nearest.length,
      10,
    );
    tf.dispose([x, target]);
  });

  it('reports progress, caps rows, and stops with a CancelledError without leaking', async () => {
    const { x, target } = data(node, [8, 8, 4], 4, 2);
    const enc = encodingsOf(node, sym4);
    const seen: number[] = [];
    const r = await adaroundLayer(node, enc, x, target, {
      iterations: 40,
      progressEvery: 10,
      maxRows: 100,
      onProgress: (it) => seen.push(it),
    });
    expect(seen).toEqual([0, 10, 20, 30, 39]);
    expect(r.rows).toBe(100);
    const before = tf.memory().numTensors;
    let calls = 0;
    await expect(
      adaroundLayer(node, enc, x, target, { iterations: 50, shouldStop: () => ++calls > 5 }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, target]);
  });
});
