/**
 * Absorbing high biases (paper 3.2): hand-worked dense and conv cases, and on dwsep after CLE
 * that the FP32 model barely moves while the activation ranges of the absorbing layers shrink.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { IrNode, ModelIR } from '../model/ir';
import { dwsep, randomInput, randomizeWeights } from '../model/testModels';
import type { BnInfo } from '../quantsim/calibrate';
import { prepare } from '../quantsim/execute';
import { prepareWeights } from '../quantsim/quantSim';
import { EngineSession } from '../session';
import { absorbHighBiases } from './biasAbsorption';
import { equalize } from './cle';

const w = (values: number[], shape: number[]) => ({ values: Float32Array.from(values), shape });
const node = (n: Partial<IrNode> & Pick<IrNode, 'name' | 'type'>) =>
  ({ layer: n.name, inputs: [], outputShape: [], config: {}, weights: {}, ...n }) as IrNode;
const values = (n: IrNode | undefined, k: 'bias' | 'clip') =>
  Array.from(n?.weights[k]?.values ?? []);
const bnOf = (beta: number[], gamma: number[], fused: BnInfo['fused'] = 'relu') =>
  ({ beta: Float32Array.from(beta), gamma: Float32Array.from(gamma), fused }) satisfies BnInfo;

/** Node outputs of `ir` on x, as arrays. */
function run(ir: ModelIR, x: tf.Tensor, nodes: string[]): Float32Array[] {
  const exe = prepare(ir, { placement: [] });
  const r = exe.run(x, { collect: nodes });
  const out = nodes.map((n) => Float32Array.from(r.activations?.get(n)?.dataSync() ?? []));
  tf.dispose([...r.outputs, ...(r.activations?.values() ?? [])]);
  exe.dispose();
  return out;
}
const maxAbsDiff = (a: Float32Array, b: Float32Array) =>
  a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] ?? NaN))), 0);

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('bias absorption by hand', () => {
  it('dense: c = max(0, β − 3|γ|); b_A − c, b_B + W_B·c, β − c', () => {
    const ir: ModelIR = {
      nodes: [
        node({ name: 'x', type: 'input', outputShape: [null, 2] }),
        node({
          name: 'd1',
          type: 'dense',
          inputs: ['x'],
          config: { activation: 'relu' },
          weights: { kernel: w([4, 0.5, -2, 1], [2, 2]), bias: w([0.5, 0.5], [2]) },
        }),
        node({
          name: 'd2',
          type: 'dense',
          inputs: ['d1'],
          config: { activation: 'linear' },
          weights: { kernel: w([1, -0.5, 4, 2], [2, 2]), bias: w([0.5, 0.5], [2]) },
        }),
      ],
      inputs: ['x'],
      outputs: ['d2'],
    };
    const bn = new Map([['d1', bnOf([5, 0.5], [1, -1])]]);
    const r = absorbHighBiases(ir, bn);
    expect(r.absorbed).toEqual([{ node: 'd1', next: 'd2', channels: 1, maxShift: 2 }]);
    expect(values(r.ir.nodes[1], 'bias')).toEqual([-1.5, 0.5]);
    expect(values(r.ir.nodes[2], 'bias')).toEqual([0.5 + 1 * 2, 0.5 - 0.5 * 2]);
    expect(Array.from(r.bn.get('d1')?.beta ?? [])).toEqual([3, 0.5]);
    expect(Array.from(bn.get('d1')?.beta ?? [])).toEqual([5, 0.5]); // input untouched
    // Exact wherever d1's channel-0 pre-activation is ≥ c = 2.
    const x = tf.tensor2d([
      [1, -1],
      [0.5, 0],
    ]);
    const [before, after] = [ir, r.ir].map((m) => run(m, x, ['d2'])[0] ?? new Float32Array());
    expect(maxAbsDiff(before ?? new Float32Array(1), after ?? new Float32Array())).toBeLessThan(
      1e-6,
    );
    x.dispose();
  });

  it('conv → depthwise (valid padding): spatial sum per channel; ReLU6 bound moves by c', () => {
    const conv = { strides: [1, 1], padding: 'valid', dilation: [1, 1] } as const;
    const ir: ModelIR = {
      nodes: [
        node({ name: 'x', type: 'input', outputShape: [null, 4, 4, 1] }),
        node({
          name: 'a',
          type: 'conv2d',
          inputs: ['x'],
          outputShape: [null, 4, 4, 2],
          config: { ...conv, activation: 'relu6' },
          weights: { kernel: w([0.1, -0.2], [1, 1, 1, 2]), bias: w([4, 0.2], [2]) },
        }),
        node({
          name: 'dw',
          type: 'depthwiseConv2d',
          inputs: ['a'],
          outputShape: [null, 3, 3, 2],
          config: { ...conv, activation: 'linear', depthMultiplier: 1 },
          weights: { kernel: w([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]) },
        }),
      ],
      inputs: ['x'],
      outputs: ['dw'],
    };
    // c = [4 − 3·0.1, 0] = [3.7, 0]; the dw bias gains (1 + 3 + 5 + 7)·3.7 on channel 0.
    const r = absorbHighBiases(ir, new Map([['a', bnOf([4, 0.2], [0.1, 0.5], 'relu6')]]));
    const c = Math.fround(4 - 3 * Math.fround(0.1));
    expect(values(r.ir.nodes[1], 'bias')[0]).toBeCloseTo(4 - c, 6);
    expect(values(r.ir.nodes[1], 'clip')).toEqual([Math.fround(6 - c), 6]);
    expect(values(r.ir.nodes[2], 'bias')[0]).toBeCloseTo(16 * c, 5);
    expect(values(r.ir.nodes[2], 'bias')[1]).toBe(0);
    expect(Array.from(r.bn.get('a')?.clip ?? [])).toEqual([Math.fround(6 - c), 6]);
    const x = tf.randomUniform([3, 4, 4, 1], -1, 1, 'float32', 5); // a's channel 0 stays ≥ 3.7
    const [before, after] = [ir, r.ir].map((m) => run(m, x, ['dw'])[0] ?? new Float32Array());
    expect(maxAbsDiff(before ?? new Float32Array(1), after ?? new Float32Array())).toBeLessThan(
      1e-4,
    );
    x.dispose();
  });
});

describe('bias absorption after CLE', () => {
  it('a MobileNet-like model with high BN shifts: logits move a little, activation maxima drop by c', async () => {
    const model = dwsep();
    randomizeWeights(model, 4);
    // Always-on channels (β > 3|γ|), the paper's "high biases": β = 4..5 with γ ∈ [0.5, 1.5].
    for (const name of ['stem_bn', 'dw_bn']) {
      const layer = model.getLayer(name);
      const [gamma, beta, ...rest] = layer.getWeights();
      const high = tf.tensor1d(Array.from(beta?.dataSync() ?? [], (_, i) => 4 + (i % 3) / 2));
      layer.setWeights([gamma as tf.Tensor, high, ...rest]);
      tf.dispose(high);
    }
    const p = await prepareWeights(model, decodeConfig('v=1&w=fp32&a=fp32').config);
    const cle = equalize(p.ir, p.bn);
    const ba = absorbHighBiases(cle.ir, cle.bn);
    expect(ba.absorbed.map((a) => `${a.node}→${a.next}`)).toEqual(['stem→dw', 'dw→pw']);
    const x = randomInput(model, 256, 9);
    const nodes = ['stem', 'dw', 'logits'];
    const before = run(cle.ir, x, nodes);
    const after = run(ba.ir, x, nodes);
    const at = (a: Float32Array[], i: number) => a[i] ?? new Float32Array();
    const dev =
      maxAbsDiff(at(before, 2), at(after, 2)) /
      at(before, 2).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    // Per channel, max(h − c) = max(h) − c (the activations after the fused ReLU6).
    const channelMax = (a: Float32Array, c: number) =>
      Array.from({ length: c }, (_, k) =>
        a.filter((_, i) => i % c === k).reduce((m, v) => Math.max(m, v), 0),
      );
    const lines = ba.absorbed.map((a, j) => {
      const c = Array.from(cle.bn.get(a.node)?.beta ?? [], (b, i) =>
        Math.max(0, b - 3 * Math.abs(cle.bn.get(a.node)?.gamma[i] ?? 0)),
      );
      const m0 = channelMax(at(before, j), c.length);
      const m1 = channelMax(at(after, j), c.length);
      // Exact for the stem (its input is unchanged); dw's input also moved at the borders.
      if (j === 0)
        m1.forEach((v, i) => expect(v).toBeCloseTo(Math.max(0, (m0[i] ?? 0) - (c[i] ?? 0)), 4));
      expect(Math.max(...m1)).toBeLessThan(Math.max(...m0));
      return `  ${a.node}: ${a.channels} channels, max c ${a.maxShift.toFixed(2)}, tensor max ${Math.max(...m0).toFixed(2)} → ${Math.max(...m1).toFixed(2)}`;
    });
    console.log(
      `synthetic dwsep, CLE → CLE+BA: logits max |Δ| / max |logit| = ${dev.toExponential(2)}\n${lines.join('\n')}`,
    );
    expect(dev).toBeLessThan(0.05); // not exact: 'same' zero padding at the borders, z < c
    tf.dispose(x);
    model.dispose();
  });

  it('built-in dwsep: no channel has β > 3|γ|, so data-free absorption moves nothing', async () => {
    const session = new EngineSession(publicDirSource(), () => 'wasm');
    const config = decodeConfig('v=1&model=dwsep&w=fp32&a=fp32').config;
    const p = await prepareWeights(await session.model('dwsep'), config);
    const cle = equalize(p.ir, p.bn);
    const ratio = Math.max(
      ...[...cle.bn.values()].flatMap((b) =>
        Array.from(b.beta, (v, i) => v / Math.abs(b.gamma[i] ?? 0)).filter(Number.isFinite),
      ),
    );
    console.log(
      `built-in dwsep: max β/|γ| over all folded BNs = ${ratio.toFixed(2)} (absorption needs > 3)`,
    );
    const ba = absorbHighBiases(cle.ir, cle.bn);
    expect(ba.absorbed).toEqual([]);
    expect(ba.ir.nodes).toEqual(cle.ir.nodes);
    await session.dispose();
  });
});
