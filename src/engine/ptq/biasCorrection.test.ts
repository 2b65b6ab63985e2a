/**
 * Bias correction (paper 3.3) on hand-worked layers: the corrected bias is b − ΔW·E[x], with
 * E[x] from the BN statistics (analytic) or from the calibration inputs (empirical). The check
 * on the built-in models is in biasCorrection.models.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clippedNormalMean } from '@/quant/normal';
import { useNodeBackend } from '../backend/node';
import type { LabeledSet } from '../data/dataset';
import { CancelledError } from '../eval/evaluate';
import type { ModelIR } from '../model/ir';
import type { BnInfo } from '../quantsim/calibrate';
import { analyticBiasCorrection, empiricalBiasCorrection } from './biasCorrection';

/** input [2] → dense `p` (identity kernel, fused ReLU, folded BN β, γ) → dense `l` [2 → 2]. */
function tinyIr(beta: number[]): ModelIR {
  const w = (values: number[], shape: number[]) => ({ values: Float32Array.from(values), shape });
  return {
    inputs: ['x'],
    outputs: ['l'],
    nodes: [
      {
        name: 'x',
        type: 'input',
        layer: 'x',
        inputs: [],
        outputShape: [null, 2],
        config: {},
        weights: {},
      },
      {
        name: 'p',
        type: 'dense',
        layer: 'p',
        inputs: ['x'],
        outputShape: [null, 2],
        config: { activation: 'relu' },
        weights: { kernel: w([1, 0, 0, 1], [2, 2]), bias: w(beta, [2]) },
      },
      {
        name: 'l',
        type: 'dense',
        layer: 'l',
        inputs: ['p'],
        outputShape: [null, 2],
        config: { activation: 'linear' },
        weights: { kernel: w([0.5, -1, 2, 0.25], [2, 2]), bias: w([0.1, 0.2], [2]) },
      },
    ],
  };
}

const rowsSet = (rows: number[][]): LabeledSet => ({
  count: rows.length,
  batch: (s, e) => ({ x: tf.tensor2d(rows.slice(s, e)), labels: new Uint8Array(e - s) }),
});

// ΔW of `l` = [[0.1, 0], [-0.2, 0.3]]
const LQ = new Map([['l', Float32Array.from([0.6, -1, 1.8, 0.55])]]);

describe('bias correction, hand-worked (paper 3.3)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it('analytic: b − ΔW·E[ReLU(N(β, γ²))]', () => {
    const bn = new Map<string, BnInfo>([
      ['p', { beta: Float32Array.from([0, 1]), gamma: Float32Array.from([1, 2]), fused: 'relu' }],
    ]);
    const m0 = 1 / Math.sqrt(2 * Math.PI); // E[ReLU(N(0, 1))]
    const m1 = clippedNormalMean(1, 2, 0);
    const out = analyticBiasCorrection(tinyIr([0, 1]), bn, LQ).get('l');
    expect(out?.[0]).toBeCloseTo(0.1 - (0.1 * m0 - 0.2 * m1), 6);
    expect(out?.[1]).toBeCloseTo(0.2 - 0.3 * m1, 6);
    // No BN'd producer: nothing to correct analytically.
    expect(analyticBiasCorrection(tinyIr([0, 1]), new Map(), LQ).size).toBe(0);
  });

  it('analytic through a Flatten: row r of the Dense kernel reads channel r % C', () => {
    // x [1, 2, 2] → conv 1×1 (linear, BN β = [1, −2]) → [pool →] flatten → dense [4 → 1]
    const w = (values: number[], shape: number[]) => ({ values: Float32Array.from(values), shape });
    const conv = {
      name: 'c',
      type: 'conv2d' as const,
      layer: 'c',
      inputs: ['x'],
      outputShape: [null, 1, 2, 2],
      config: {
        strides: [1, 1] as const,
        padding: 'valid' as const,
        dilation: [1, 1] as const,
        activation: 'linear' as const,
      },
      weights: { kernel: w([1, 0, 0, 1], [1, 1, 2, 2]), bias: w([1, -2], [2]) },
    };
    const ir = (pool: boolean): ModelIR => ({
      inputs: ['x'],
      outputs: ['d'],
      nodes: [
        {
          name: 'x',
          type: 'input',
          layer: 'x',
          inputs: [],
          outputShape: [null, 1, 2, 2],
          config: {},
          weights: {},
        },
        conv,
        ...(pool
          ? [
              {
                name: 'm',
                type: 'maxPool2d' as const,
                layer: 'm',
                inputs: ['c'],
                outputShape: [null, 1, 2, 2],
                config: {
                  poolSize: [1, 1] as const,
                  strides: [1, 1] as const,
                  padding: 'valid' as const,
                },
                weights: {},
              },
            ]
          : []),
        {
          name: 'f',
          type: 'flatten',
          layer: 'f',
          inputs: [pool ? 'm' : 'c'],
          outputShape: [null, 4],
          config: {},
          weights: {},
        },
        {
          name: 'd',
          type: 'dense',
          layer: 'd',
          inputs: ['f'],
          outputShape: [null, 1],
          config: { activation: 'linear' },
          weights: { kernel: w([0, 0, 0, 0], [4, 1]), bias: w([0], [1]) },
        },
      ],
    });
    const bn = new Map<string, BnInfo>([
      [
        'c',
        { beta: Float32Array.from([1, -2]), gamma: Float32Array.from([3, 3]), fused: 'linear' },
      ],
    ]);
    const q = new Map([['d', Float32Array.from([0.5, 0.25, -1, 2])]]);
    // E[x] = β per channel → rows [1, −2, 1, −2]; ε = 0.5 − 0.5 − 1 − 4 = −5
    expect(analyticBiasCorrection(ir(false), bn, q).get('d')?.[0]).toBeCloseTo(5, 6);
    // A max pool changes E[x]: not corrected.
    expect(analyticBiasCorrection(ir(true), bn, q).has('d')).toBe(false);
  });

  it('empirical: b − ΔW·E[x] over the calibration inputs, both references', async () => {
    // p = ReLU(x + β) with β = 0: inputs [1, 2], [3, −2] → E[x_l] = [2, 1]
    const set = rowsSet([
      [1, 2],
      [3, -2],
    ]);
    for (const reference of ['same-input', 'float-model'] as const) {
      const out = (await empiricalBiasCorrection(tinyIr([0, 0]), LQ, set, { reference })).get('l');
      expect(out?.[0]).toBeCloseTo(0.1 - (0.1 * 2 - 0.2 * 1), 6);
      expect(out?.[1]).toBeCloseTo(0.2 - 0.3 * 1, 6);
    }
  });

  it('streams progress, stops on request and frees every tensor', async () => {
    const set = rowsSet(Array.from({ length: 10 }, (_, i) => [i, 1 - i]));
    const before = tf.memory().numTensors;
    const seen: [number, number][] = [];
    await empiricalBiasCorrection(tinyIr([0, 0]), LQ, set, {
      batchSize: 4,
      onProgress: (d, t) => seen.push([d, t]),
    });
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    let calls = 0;
    await expect(
      empiricalBiasCorrection(tinyIr([0, 0]), LQ, set, {
        batchSize: 4,
        shouldStop: () => ++calls > 1,
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(tf.memory().numTensors).toBe(before);
  });
});
