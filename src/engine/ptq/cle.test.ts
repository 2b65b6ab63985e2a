/**
 * Cross-layer equalization (paper 3.2): a hand-worked example, the chain and flatten channel
 * maps, and on the built-in models that the FP32 function is unchanged while the per-channel
 * weight ranges of dwsep's depthwise layers even out.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { digitsSet, limitSet } from '../data/dataset';
import { loadDigitsSplit } from '../data/digits';
import { publicDirSource } from '../data/nodeSource';
import { foldModel } from '../model/fold';
import { importModel } from '../model/graph';
import type { IrNode, ModelIR } from '../model/ir';
import { functional, randomInput, randomizeWeights } from '../model/testModels';
import type { BnInfo } from '../quantsim/calibrate';
import { prepare } from '../quantsim/execute';
import { prepareWeights } from '../quantsim/quantSim';
import { softmaxInput } from '../quantsim/slots';
import { EngineSession } from '../session';
import { equalize, findCleGroups } from './cle';
import { outputRanges } from './cleGroups';

const w = (values: number[], shape: number[]) => ({ values: Float32Array.from(values), shape });
const input = (shape: (number | null)[]): IrNode => ({
  name: 'x',
  type: 'input',
  layer: 'x',
  inputs: [],
  outputShape: shape,
  config: {},
  weights: {},
});
const dense = (name: string, from: string, kernel: number[], shape: number[], act = 'relu') =>
  ({
    name,
    type: 'dense',
    layer: name,
    inputs: [from],
    outputShape: [null, shape[1] ?? 0],
    config: { activation: act },
    weights: { kernel: w(kernel, shape), bias: w(new Array(shape[1]).fill(0.5), [shape[1] ?? 0]) },
  }) as IrNode;
const conv = (name: string, from: string, type: 'conv2d' | 'depthwiseConv2d', shape: number[]) => {
  const values = Array.from(
    { length: shape.reduce((a, b) => a * b) },
    (_, i) => Math.sin(3.7 * i + shape.length) * (1 + (i % 5) * 3),
  );
  const out = type === 'conv2d' ? (shape[3] ?? 0) : (shape[2] ?? 0) * (shape[3] ?? 0);
  const config = {
    strides: [1, 1] as const,
    padding: 'same' as const,
    dilation: [1, 1] as const,
    activation: 'relu6' as const,
  };
  return {
    name,
    type,
    layer: name,
    inputs: [from],
    outputShape: [null, 4, 4, out],
    config: type === 'conv2d' ? config : { ...config, depthMultiplier: shape[3] ?? 1 },
    weights: { kernel: w(values, shape), bias: w(new Array(out).fill(0.1), [out]) },
  } as IrNode;
};

/** Largest over smallest channel range. */
const spread = (r: ArrayLike<number>) => Math.max(...Array.from(r)) / Math.min(...Array.from(r));

/** Runs `ir` on x; returns the logits (the softmax input when there is one). */
function logits(ir: ModelIR, x: tf.Tensor): Float32Array {
  const exe = prepare(ir, { placement: [] });
  const node = softmaxInput(ir) ?? (ir.outputs[0] as string);
  const r = exe.run(x, { collect: [node] });
  const values = r.activations?.get(node)?.dataSync() as Float32Array;
  tf.dispose([...r.outputs, ...(r.activations?.values() ?? [])]);
  exe.dispose();
  return Float32Array.from(values);
}

const relDeviation = (a: Float32Array, b: Float32Array) => {
  let d = 0;
  let m = 0;
  a.forEach((v, i) => {
    d = Math.max(d, Math.abs(v - (b[i] ?? NaN)));
    m = Math.max(m, Math.abs(v));
  });
  return d / m;
};

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('CLE by hand', () => {
  // d1 output ranges r1 = [4, 1], d2 input ranges r2 = [1, 4] → s = [2, 0.5].
  const ir: ModelIR = {
    nodes: [
      input([null, 2]),
      dense('d1', 'x', [4, 0.5, -2, 1], [2, 2]),
      dense('d2', 'd1', [1, -0.5, 4, 2], [2, 2], 'linear'),
    ],
    inputs: ['x'],
    outputs: ['d2'],
  };
  const bn = new Map<string, BnInfo>([
    ['d1', { beta: Float32Array.of(4, 6), gamma: Float32Array.of(2, 1), fused: 'relu' }],
  ]);

  it('s_i = √(r1_i / r2_i); both ranges become √(r1_i·r2_i); bias and BN scale with 1/s', () => {
    const snapshot = ir.nodes.map((n) => Float32Array.from(n.weights.kernel?.values ?? []));
    const r = equalize(ir, bn);
    expect(r.pairs).toEqual([{ first: 'd1', second: 'd2', scales: [2, 0.5] }]);
    expect(r.converged).toBe(true);
    expect(r.iterations).toBe(2); // the second sweep finds s = 1
    const [, d1, d2] = r.ir.nodes;
    expect(Array.from(d1?.weights.kernel?.values ?? [])).toEqual([2, 1, -1, 2]);
    expect(Array.from(d1?.weights.bias?.values ?? [])).toEqual([0.25, 1]);
    expect(Array.from(d2?.weights.kernel?.values ?? [])).toEqual([2, -1, 2, 1]);
    expect(Array.from(r.bn.get('d1')?.beta ?? [])).toEqual([2, 12]);
    expect(Array.from(r.bn.get('d1')?.gamma ?? [])).toEqual([1, 2]);
    expect(Array.from(r.ranges.get('d1')?.before ?? [])).toEqual([4, 1]);
    expect(Array.from(r.ranges.get('d1')?.after ?? [])).toEqual([2, 2]);
    expect(Array.from(r.ranges.get('d2')?.after ?? [])).toEqual([2, 1]);
    // Inputs untouched; the FP32 function unchanged.
    ir.nodes.forEach((n, i) =>
      expect(Array.from(n.weights.kernel?.values ?? [])).toEqual(Array.from(snapshot[i] ?? [])),
    );
    expect(Array.from(bn.get('d1')?.beta ?? [])).toEqual([4, 6]);
    const x = tf.tensor2d([
      [1, -2],
      [0.3, 0.7],
      [-1, -1],
    ]);
    expect(relDeviation(logits(ir, x), logits(r.ir, x))).toBeLessThan(1e-6);
    x.dispose();
  });

  it('an equalized model gives scales ≈ 1 (idempotent)', () => {
    const again = equalize(equalize(ir, bn).ir, bn);
    for (const s of again.pairs[0]?.scales ?? []) expect(s).toBeCloseTo(1, 6);
    expect(again.iterations).toBe(1);
  });
});

describe('CLE channel maps', () => {
  it('conv → depthwise → pointwise converges to AIMET closed form ∛(r1·r2·r3), ReLU6 → 6/s', () => {
    const ir: ModelIR = {
      nodes: [
        input([null, 4, 4, 2]),
        conv('a', 'x', 'conv2d', [3, 3, 2, 3]),
        conv('dw', 'a', 'depthwiseConv2d', [3, 3, 3, 1]),
        conv('pw', 'dw', 'conv2d', [1, 1, 3, 2]),
      ],
      inputs: ['x'],
      outputs: ['pw'],
    };
    const r = equalize(ir, new Map(), { tolerance: 1e-9 });
    expect(r.groups).toEqual([
      {
        layers: ['a', 'dw', 'pw'],
        links: [
          { first: 'a', second: 'dw', channels: 3, via: [] },
          { first: 'dw', second: 'pw', channels: 3, via: [] },
        ],
      },
    ]);
    expect(r.converged).toBe(true);
    const ranges = (name: string) => Array.from(r.ranges.get(name)?.before ?? []);
    const pwIn = [0, 1, 2].map((c) =>
      Math.max(...[0, 1].map((o) => Math.abs(ir.nodes[3]?.weights.kernel?.values[c * 2 + o] ?? 0))),
    );
    const target = ranges('a').map((ra, c) =>
      Math.cbrt(ra * (ranges('dw')[c] ?? 0) * (pwIn[c] ?? 0)),
    );
    const after = (name: string) => Array.from(r.ranges.get(name)?.after ?? []);
    after('a').forEach((v, c) => expect(v).toBeCloseTo(target[c] ?? NaN, 4));
    after('dw').forEach((v, c) => expect(v).toBeCloseTo(target[c] ?? NaN, 4));
    const a = r.ir.nodes[1];
    const s = r.pairs[0]?.scales ?? [];
    expect(Array.from(a?.weights.clip?.values ?? [])).toEqual(s.map((v) => Math.fround(6 / v)));
    const x = tf.randomNormal([5, 4, 4, 2], 0, 3, 'float32', 7);
    expect(relDeviation(logits(ir, x), logits(r.ir, x))).toBeLessThan(1e-5);
    // ReLU6 → ReLU instead (AIMET): no clip, and the fused activation becomes ReLU.
    const relu = equalize(ir, new Map(), { relu6: 'relu' });
    expect(relu.ir.nodes[1]?.weights.clip).toBeUndefined();
    expect(relu.ir.nodes.map((n) => ('activation' in n.config ? n.config.activation : ''))).toEqual(
      ['', 'relu', 'relu', 'relu6'],
    );
    expect(findCleGroups(ir, { relu6: 'skip' })).toEqual([]);
    x.dispose();
  });

  it('Flatten before a Dense: row r reads channel r mod C (Keras NHWC)', () => {
    const a = conv('a', 'x', 'conv2d', [1, 1, 1, 2]);
    const ir: ModelIR = {
      nodes: [
        input([null, 2, 2, 1]),
        { ...a, outputShape: [null, 2, 2, 2] } as IrNode,
        {
          name: 'flat',
          type: 'flatten',
          layer: 'flat',
          inputs: ['a'],
          outputShape: [null, 8],
          config: {},
          weights: {},
        },
        dense('d', 'flat', [1, 2, 3, 4, 5, 6, 7, 8], [8, 1], 'linear'),
      ],
      inputs: ['x'],
      outputs: ['d'],
    };
    const r = equalize(ir, new Map());
    expect(r.groups[0]?.links[0]?.via).toEqual(['flat']);
    // Dense input range per channel: even rows → channel 0 (max 7), odd → channel 1 (max 8).
    const ra = outputRanges(a.weights.kernel?.values ?? [], 2);
    expect(r.pairs[0]?.scales[0]).toBeCloseTo(Math.sqrt((ra[0] ?? 0) / 7), 6);
    expect(r.pairs[0]?.scales[1]).toBeCloseTo(Math.sqrt((ra[1] ?? 0) / 8), 6);
    const x = tf.randomNormal([4, 2, 2, 1], 0, 1, 'float32', 3);
    expect(relDeviation(logits(ir, x), logits(r.ir, x))).toBeLessThan(1e-5);
    x.dispose();
  });
  it('skip connections, shared layers and reshapes end chains (functional test model)', async () => {
    const model = functional();
    randomizeWeights(model, 2);
    const { ir } = foldModel(await importModel(model));
    // sep's depthwise → pointwise halves link; the ReLU6 output feeds an Add and a shared conv.
    const r = equalize(ir, new Map());
    expect(r.groups.map((g) => g.layers)).toEqual([['sep/depthwise', 'sep']]);
    const x = randomInput(model, 8, 5);
    expect(relDeviation(logits(ir, x), logits(r.ir, x))).toBeLessThan(1e-5);
    x.dispose();
    model.dispose();
  });
});

describe('CLE on the built-in models', () => {
  let session: EngineSession;
  let x: tf.Tensor;
  const folded = async (id: string) => {
    const config = decodeConfig(`v=1&model=${id}&w=fp32&a=fp32`).config;
    const p = await prepareWeights(await session.model(id), config);
    return { ir: p.ir, bn: p.bn };
  };

  beforeAll(async () => {
    const source = publicDirSource();
    session = new EngineSession(source, () => 'wasm');
    x = limitSet(digitsSet(await loadDigitsSplit(source, 'test')), 64).batch(0, 64).x;
  });

  it('groups: one dwsep chain, cnn through pools and Flatten, resnet only inside blocks', async () => {
    const layers = async (id: string) =>
      findCleGroups((await folded(id)).ir).map((g) => g.layers.join('→'));
    expect(await layers('dwsep')).toEqual(['conv1→dw1→pw1→dw2→pw2→dw3→pw3→dw4→pw4→logits']);
    expect(await layers('cnn')).toEqual(['conv1→conv2→conv3→logits']);
    expect(await layers('resnet')).toEqual(['res1a→res1b', 'res2a→res2b']);
  });

  for (const id of ['dwsep', 'cnn', 'resnet']) {
    it(`${id}: FP32 logits unchanged (max |Δ| / max |logit| < 1e-5), scales converge`, async () => {
      const { ir, bn } = await folded(id);
      const r = equalize(ir, bn);
      const dev = relDeviation(logits(ir, x), logits(r.ir, x));
      // AIMET's ReLU6 → ReLU changes the model where a pre-activation exceeds 6 (reported only).
      const relu = relDeviation(logits(ir, x), logits(equalize(ir, bn, { relu6: 'relu' }).ir, x));
      console.log(
        `${id}: CLE ${r.iterations} sweeps, logits max |Δ| / max |logit| ${dev.toExponential(2)}` +
          ` (ReLU6 → ReLU instead: ${relu.toExponential(2)})`,
      );
      expect(dev).toBeLessThan(1e-5);
      expect(r.converged).toBe(true);
      // Equalizing again changes nothing.
      const again = equalize(r.ir, r.bn);
      for (const p of again.pairs)
        for (const s of p.scales) expect(Math.abs(s - 1)).toBeLessThan(1e-5);
    });
  }

  it('dwsep: the depthwise channel-range spread drops from ~130x', async () => {
    const { ir, bn } = await folded('dwsep');
    const r = equalize(ir, bn);
    const rows = ['dw1', 'dw2', 'dw3', 'dw4'].map((n) => {
      const { before, after } = r.ranges.get(n) ?? { before: [], after: [] };
      return { n, before: spread(before), after: spread(after) };
    });
    console.log(
      'dwsep channel-range spread (max/min of max|w|) before → after CLE:\n' +
        rows.map((q) => `  ${q.n} ${q.before.toFixed(1)}x → ${q.after.toFixed(1)}x`).join('\n'),
    );
    for (const q of rows) {
      expect(q.before).toBeGreaterThan(70);
      expect(q.after).toBeLessThan(q.before / 5);
    }
  });
});
