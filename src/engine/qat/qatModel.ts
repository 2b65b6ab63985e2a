/**
 * The trainable quantized model of QAT (paper section 4): the folded IR's kernels and biases as
 * variables, a learnable quantizer (quantParam.ts) on every weight and activation slot the PTQ
 * simulation placed, initialised from its encodings, and a differentiable forward pass over the
 * same executor as PTQ (quantsim/execute.ts) with the STE op in place of the fixed fake quant.
 *
 * BN (paper 4.2): 'fold' trains the statically folded network (the default; "very effective"
 * from a converged model). 'keep' keeps each folded BN with batch statistics during training
 * (per-channel weights only): conv(x, Q(W)) + b → BN → activation, running statistics updated
 * with Keras' momentum 0.99; at inference the running statistics are used, and `snapshot`
 * folds them into the kernel, which stays on a per-channel grid with scale s·|γ/σ| (paper
 * Table 7's "keep original BN (per-channel)").
 */
import * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import { resolveQuantizer } from '@/quant/resolve';
import type { Encodings } from '@/quant/types';
import {
  isWeighted,
  type IrNode,
  type ModelIR,
  outChannels,
  type WeightName,
  type WeightedNode,
} from '../model/ir';
import { forward } from '../quantsim/execute';
import { activate, applyNode, type NodeWeights } from '../quantsim/ops';
import type { PreparedWeights } from '../quantsim/quantSim';
import { createQuantParam, type QuantParam, variableOf } from './quantParam';

export const BN_MOMENTUM = 0.99;

export interface QatModelOptions {
  learnRanges: boolean;
  bn: 'fold' | 'keep';
  /** The model before folding (needed for bn: 'keep'). */
  original?: ModelIR;
}

/** BN kept beside a weighted node (bn: 'keep'). */
interface KeptBn {
  gamma: tf.Variable;
  beta: tf.Variable;
  mean: tf.Variable;
  variance: tf.Variable;
  epsilon: number;
}

export interface QatSnapshot {
  /** The folded IR with the trained weights (kernels in float, before fake quant). */
  ir: ModelIR;
  /** Fake-quantized kernels and their encodings, per quantized node. */
  weights: Map<string, { encodings: Encodings; quantized: Float32Array }>;
  activations: Map<string, Encodings>;
}

export interface QatModel {
  readonly ir: ModelIR;
  readonly weightParams: ReadonlyMap<string, QuantParam>;
  readonly activationParams: ReadonlyMap<string, QuantParam>;
  /** Logits (the softmax input) for a batch; `training` uses BN batch statistics ('keep'). */
  logits(x: tf.Tensor, training: boolean): tf.Tensor;
  /** Variables the optimizer updates: weights, biases, BN γ/β ('keep'), learnable ranges. */
  trainable(): tf.Variable[];
  /** Updates the running BN statistics from the last training forward ('keep'). */
  updateBnStatistics(): void;
  snapshot(): Promise<QatSnapshot>;
  dispose(): void;
}

const tensorOf = (w: { values: Float32Array; shape: readonly number[] }) =>
  tf.tensor(w.values, [...w.shape], 'float32');

export function createQatModel(
  prepared: PreparedWeights,
  activations: ReadonlyMap<string, Encodings>,
  options: QatModelOptions,
): QatModel {
  const { ir } = prepared;
  const softmaxIn = logitsNode(ir);
  const keep = options.bn === 'keep';
  const originals = new Map((options.original?.nodes ?? []).map((n) => [n.name, n]));
  const bnOf = new Map(prepared.record.foldedBatchNorms.map((f) => [f.into, f.batchNorm]));
  if (keep && !options.original)
    throw playgroundError('QAT_SETUP', { detail: 'keeping BN needs the unfolded model' });

  const variables = new Map<string, Map<WeightName, tf.Variable>>();
  const constants = new Map<string, Map<WeightName, tf.Tensor>>();
  const kept = new Map<string, KeptBn>();
  const weightParams = new Map<string, QuantParam>();
  const all: tf.Tensor[] = [];
  const own = <T extends tf.Tensor>(t: T): T => {
    all.push(t);
    return t;
  };
  try {
    for (const node of ir.nodes) {
      const vars = new Map<WeightName, tf.Variable>();
      const consts = new Map<WeightName, tf.Tensor>();
      const wq = prepared.weights.get(node.name);
      const bnName = bnOf.get(node.name);
      const keepHere = keep && isWeighted(node) && bnName !== undefined && !!wq;
      const source = keepHere ? (originals.get(node.name) ?? node) : node;
      for (const [name, w] of Object.entries(source.weights) as [
        WeightName,
        IrNode['weights'][WeightName],
      ][]) {
        if (!w) continue;
        const trainableWeight = isWeighted(node) && (name === 'kernel' || name === 'bias');
        if (trainableWeight)
          vars.set(name, own(variableOf(tensorOf(w), true, `qat_${node.name}_${name}`)));
        else consts.set(name, own(tensorOf(w)));
      }
      if (keepHere && isWeighted(node) && wq) {
        if (wq.encodings.granularity !== 'per-channel')
          throw playgroundError('QAT_SETUP', {
            detail:
              'keeping BN during QAT needs per-channel weights (paper 4.2); choose per-channel or static folding',
          });
        const bn = originals.get(bnName ?? '');
        if (!bn || bn.type !== 'batchNorm')
          throw playgroundError('QAT_SETUP', {
            detail: `the batch norm folded into ${node.name} was not found`,
          });
        const channels = outChannels(node);
        const vec = (name: WeightName, fill: number, trainable: boolean) =>
          own(
            variableOf(
              bn.weights[name] ? tensorOf(bn.weights[name]) : tf.fill([channels], fill),
              trainable,
              `qat_${bn.name}_${name}`,
            ),
          );
        kept.set(node.name, {
          gamma: vec('gamma', 1, true),
          beta: vec('beta', 0, true),
          mean: vec('movingMean', 0, false),
          variance: vec('movingVariance', 1, false),
          epsilon: bn.config.epsilon,
        });
        // The unfolded kernel's initial encoding, by the slot's own range method.
        const spec = prepared.plan.weights.find((s) => s.node === node.name)?.spec;
        const kernel = source.weights.kernel;
        if (!spec || !kernel)
          throw playgroundError('QAT_SETUP', { detail: `${node.name} has no weight quantizer` });
        const q = resolveQuantizer(spec, { data: kernel.values, layout: { channels, inner: 1 } });
        weightParams.set(
          node.name,
          createQuantParam(q.encodings, options.learnRanges, `${node.name}_w`),
        );
      } else if (wq) {
        weightParams.set(
          node.name,
          createQuantParam(wq.encodings, options.learnRanges, `${node.name}_w`),
        );
      }
      variables.set(node.name, vars);
      constants.set(node.name, consts);
    }
  } catch (e) {
    tf.dispose(all);
    weightParams.forEach((p) => p.dispose());
    throw e;
  }
  const activationParams = new Map(
    [...activations].map(([node, enc]) => [
      node,
      createQuantParam(enc, options.learnRanges, `${node}_a`),
    ]),
  );
  const placement = new Set(activationParams.keys());
  const batchMoments = new Map<string, { mean: tf.Tensor; variance: tf.Tensor }>();

  /** Weights of every node for one forward: kernels through their quantizers. */
  const weightsOf = (): Map<string, NodeWeights> => {
    const out = new Map<string, NodeWeights>();
    for (const node of ir.nodes) {
      const m = new Map<WeightName, tf.Tensor>(constants.get(node.name));
      for (const [name, v] of variables.get(node.name) ?? []) m.set(name, v);
      const p = weightParams.get(node.name);
      const k = m.get('kernel');
      if (p && k) m.set('kernel', p.apply(k));
      out.set(node.name, m);
    }
    return out;
  };

  const run = (x: tf.Tensor, training: boolean): tf.Tensor => {
    const [out] = forward(
      { ...ir, outputs: [softmaxIn] },
      [x],
      weightsOf(),
      placement,
      { activationTransform: (name, t) => activationParams.get(name)?.apply(t) ?? t },
      [],
      {
        free: false,
        apply: (node, xs, w) => {
          const bn = kept.get(node.name);
          if (!bn || !isWeighted(node)) return null;
          return keptBnNode(node, xs, w, bn, training, batchMoments);
        },
      },
    );
    return out as tf.Tensor;
  };

  return {
    ir,
    weightParams,
    activationParams,
    logits: run,
    trainable: () => [
      ...[...variables.values()].flatMap((m) => [...m.values()]),
      ...[...kept.values()].flatMap((b) => [b.gamma, b.beta]),
      ...[...weightParams.values(), ...activationParams.values()].flatMap((p) => p.trainable()),
    ],
    updateBnStatistics() {
      for (const [node, m] of batchMoments) {
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
      batchMoments.clear();
    },
    snapshot: () => snapshotOf(ir, variables, constants, kept, weightParams, activationParams),
    dispose() {
      tf.dispose(all);
      batchMoments.forEach((m) => tf.dispose([m.mean, m.variance]));
      [...weightParams.values(), ...activationParams.values()].forEach((p) => p.dispose());
    },
  };
}

/** The node feeding the final softmax (the loss is taken on logits), else the model output. */
function logitsNode(ir: ModelIR): string {
  for (const name of ir.outputs) {
    const node = ir.nodes.find((n) => n.name === name);
    if (node?.type === 'activation' && node.config.fn === 'softmax' && node.inputs[0])
      return node.inputs[0];
  }
  return ir.outputs[0] as string;
}

/** conv/dense → BN (batch statistics when training) → the node's fused activation. */
function keptBnNode(
  node: WeightedNode,
  xs: readonly tf.Tensor[],
  w: NodeWeights,
  bn: KeptBn,
  training: boolean,
  moments: Map<string, { mean: tf.Tensor; variance: tf.Tensor }>,
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

async function snapshotOf(
  ir: ModelIR,
  variables: ReadonlyMap<string, ReadonlyMap<WeightName, tf.Variable>>,
  constants: ReadonlyMap<string, ReadonlyMap<WeightName, tf.Tensor>>,
  kept: ReadonlyMap<string, KeptBn>,
  weightParams: ReadonlyMap<string, QuantParam>,
  activationParams: ReadonlyMap<string, QuantParam>,
): Promise<QatSnapshot> {
  const read = async (t: tf.Tensor) => Float32Array.from(await t.data());
  const weights: QatSnapshot['weights'] = new Map();
  const nodes: IrNode[] = [];
  for (const node of ir.nodes) {
    const next: Record<string, { values: Float32Array; shape: readonly number[] }> = {};
    for (const [name, t] of [
      ...(constants.get(node.name) ?? []),
      ...(variables.get(node.name) ?? []),
    ])
      next[name] = { values: await read(t), shape: t.shape };
    const p = weightParams.get(node.name);
    const kernel = next['kernel'];
    if (p && kernel) {
      const q = tf.tidy(() => p.apply(tf.tensor(kernel.values, [...kernel.shape])));
      let quantized = await read(q);
      q.dispose();
      let encodings = await p.encodings();
      const bn = kept.get(node.name);
      if (bn) {
        // Fold the running statistics: W̃ = W·f, b̃ = β + (b − μ)·f with f = γ/√(σ² + ε).
        const [g, b, m, v] = (await Promise.all(
          [bn.gamma, bn.beta, bn.mean, bn.variance].map(read),
        )) as [Float32Array, Float32Array, Float32Array, Float32Array];
        const f = Float64Array.from(g, (gi, c) => gi / Math.sqrt((v[c] ?? 1) + bn.epsilon));
        const C = f.length;
        const fold = (a: Float32Array) => Float32Array.from(a, (x, i) => x * (f[i % C] ?? 1));
        next['kernel'] = { values: fold(kernel.values), shape: kernel.shape };
        quantized = fold(quantized);
        const bias = next['bias']?.values ?? new Float32Array(C);
        next['bias'] = {
          values: Float32Array.from(
            b,
            (bi, c) => bi + ((bias[c] ?? 0) - (m[c] ?? 0)) * (f[c] ?? 1),
          ),
          shape: [C],
        };
        encodings = {
          ...encodings,
          scale: Float32Array.from(encodings.scale, (s, c) => s * Math.abs(f[c] ?? 1)),
        };
      }
      weights.set(node.name, { encodings, quantized });
    }
    nodes.push({ ...node, weights: next } as IrNode);
  }
  const acts = new Map<string, Encodings>();
  for (const [node, p] of activationParams) acts.set(node, await p.encodings());
  return { ir: { ...ir, nodes }, weights, activations: acts };
}
