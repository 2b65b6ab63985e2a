/**
 * BN kept during QAT (paper 4.2, Table 7 "keep original BN (per-channel)"): the batch norm that
 * static folding would merge into a conv/dense stays as its own γ/β variables and running
 * statistics. Training normalises by batch statistics and updates the running ones with Keras'
 * momentum; `snapshot` folds the running statistics into the kernel and bias, and the BN scale
 * into the per-channel weight scale, s̃_k = s_k·|γ_k/√(σ_k² + ε)| (paper 4.2).
 */
import * as tf from '@tensorflow/tfjs';
import type { Encodings } from '@/quant/types';
import type { NodeOf, Weight, WeightName, WeightedNode } from '../model/ir';
import { activate, applyNode, type NodeWeights } from '../quantsim/ops';
import { variableOf } from './quantParam';

export const BN_MOMENTUM = 0.99;

/** BN kept beside a weighted node (bn: 'keep'). */
export interface KeptBn {
  gamma: tf.Variable;
  beta: tf.Variable;
  mean: tf.Variable;
  variance: tf.Variable;
  epsilon: number;
}

/** Batch moments of the last training forward, per node, for the running-statistics update. */
export type BatchMoments = Map<string, { mean: tf.Tensor; variance: tf.Tensor }>;

/** γ/β trainable, running mean/variance frozen; missing vectors take Keras' defaults. */
export function createKeptBn(
  bn: NodeOf<'batchNorm'>,
  channels: number,
  own: <T extends tf.Tensor>(t: T) => T,
): KeptBn {
  const vec = (name: WeightName, fill: number, trainable: boolean) => {
    const w = bn.weights[name];
    return own(
      variableOf(
        w ? tf.tensor(w.values, [...w.shape], 'float32') : tf.fill([channels], fill),
        trainable,
        `qat_${bn.name}_${name}`,
      ),
    );
  };
  return {
    gamma: vec('gamma', 1, true),
    beta: vec('beta', 0, true),
    mean: vec('movingMean', 0, false),
    variance: vec('movingVariance', 1, false),
    epsilon: bn.config.epsilon,
  };
}

/** conv/dense → BN (batch statistics when training) → the node's fused activation. */
export function keptBnNode(
  node: WeightedNode,
  xs: readonly tf.Tensor[],
  w: NodeWeights,
  bn: KeptBn,
  training: boolean,
  moments: BatchMoments,
): tf.Tensor {
  const linear = { ...node, config: { ...node.config, activation: 'linear' } } as WeightedNode;
  const noClip = new Map(w);
  noClip.delete('clip');
  const z = applyNode(linear, xs, noClip);
  let mean: tf.Tensor = bn.mean;
  let variance: tf.Tensor = bn.variance;
  if (training) {
    const m = tf.moments(z, [...Array(z.rank - 1).keys()]);
    mean = m.mean;
    variance = m.variance;
    moments.get(node.name)?.mean.dispose();
    moments.get(node.name)?.variance.dispose();
    moments.set(node.name, {
      mean: tf.keep(m.mean.clone()),
      variance: tf.keep(m.variance.clone()),
    });
  }
  const y = tf.batchNorm(
    z,
    mean as tf.Tensor1D,
    variance as tf.Tensor1D,
    bn.beta,
    bn.gamma,
    bn.epsilon,
  );
  const clip = w.get('clip');
  return node.config.activation === 'relu6' && clip
    ? tf.minimum(tf.relu(y), clip)
    : activate(y, node.config.activation);
}

/** Running statistics ← momentum·running + (1 − momentum)·batch, as Keras' BatchNormalization. */
export function updateRunningStatistics(kept: ReadonlyMap<string, KeptBn>, moments: BatchMoments) {
  for (const [node, m] of moments) {
    const bn = kept.get(node);
    if (!bn) continue;
    tf.tidy(() => {
      bn.mean.assign(tf.add(tf.mul(bn.mean, BN_MOMENTUM), tf.mul(m.mean, 1 - BN_MOMENTUM)));
      bn.variance.assign(
        tf.add(tf.mul(bn.variance, BN_MOMENTUM), tf.mul(m.variance, 1 - BN_MOMENTUM)),
      );
    });
    tf.dispose([m.mean, m.variance]);
  }
  moments.clear();
}

/**
 * Folds the running statistics into a trained node: W̃ = W·f, b̃ = β + (b − μ)·f with
 * f = γ/√(σ² + ε) (paper eq. 9), the fake-quantized kernel likewise, and s̃_k = s_k·|f_k|.
 */
export async function foldKeptBn(
  bn: KeptBn,
  kernel: Weight,
  quantized: Float32Array,
  bias: Weight | undefined,
  encodings: Encodings,
): Promise<{
  kernel: Weight;
  quantized: Float32Array<ArrayBuffer>;
  bias: Weight;
  encodings: Encodings;
}> {
  const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
  const [g, b, m, v] = (await Promise.all([bn.gamma, bn.beta, bn.mean, bn.variance].map(read))) as [
    Float32Array,
    Float32Array,
    Float32Array,
    Float32Array,
  ];
  const f = Float64Array.from(g, (gi, c) => gi / Math.sqrt((v[c] ?? 1) + bn.epsilon));
  const C = f.length;
  const fold = (a: Float32Array) => Float32Array.from(a, (x, i) => x * (f[i % C] ?? 1));
  const oldBias = bias?.values ?? new Float32Array(C);
  return {
    kernel: { values: fold(kernel.values), shape: kernel.shape },
    quantized: fold(quantized),
    bias: {
      values: Float32Array.from(b, (bi, c) => bi + ((oldBias[c] ?? 0) - (m[c] ?? 0)) * (f[c] ?? 1)),
      shape: [C],
    },
    encodings: {
      ...encodings,
      scale: Float32Array.from(encodings.scale, (s, c) => s * Math.abs(f[c] ?? 1)),
    },
  };
}
