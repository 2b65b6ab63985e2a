/**
 * AdaRound over a whole folded model (paper 3.4): layer by layer in topological order, each
 * layer's input x̂ comes from the model with every earlier kernel already AdaRounded (Eq. 35),
 * and its target f_a(Wx + b) from the FP model. Inputs and targets of all calibration images
 * are held at once per layer (for the zoo: ≤ 256 × 14·14·16 floats); keep the calibration set
 * modest (256 images by default in the tests) — the paper's 500-1000 fits on small models.
 */
import * as tf from '@tensorflow/tfjs';
import type { Encodings } from '@/quant/types';
import type { LabeledSet } from '../data/dataset';
import { CancelledError } from '../eval/evaluate';
import { isWeighted, type ModelIR, prefixTo, type WeightedNode } from '../model/ir';
import { prepare, type QuantHooks } from '../quantsim/execute';
import {
  ADAROUND_ITERATIONS,
  adaroundLayer,
  type AdaRoundLayerResult,
  type AdaRoundOptions,
  type AdaRoundStats,
} from './adaround';

export interface AdaRoundModelProgress {
  node: string;
  /** 0-based index of the layer among those AdaRounded, and their count. */
  layer: number;
  layers: number;
  iteration: number;
  iterations: number;
  stats: AdaRoundStats;
}

export interface AdaRoundModelOptions extends Omit<AdaRoundOptions, 'onProgress' | 'nearest'> {
  /** Nodes to AdaRound; default every weighted node with an encoding and a kernel. */
  nodes?: readonly string[];
  /** Images per forward pass when gathering inputs and targets; default 128. */
  collectBatch?: number;
  /**
   * Activation fake-quant for the x̂ pass (e.g. quantSim's activation encodings); default none:
   * x̂ then differs from x only through the earlier layers' quantized weights.
   */
  activationHooks?: Pick<QuantHooks, 'activationTransform' | 'placement'>;
  onProgress?: (p: AdaRoundModelProgress) => void;
  /** After each layer, with its result. */
  onLayer?: (result: AdaRoundLayerResult, layer: number, layers: number) => void;
}

/** Output of `prefix` over the whole set, batch by batch, as one tensor. */
async function collect(
  prefix: ModelIR,
  hooks: QuantHooks,
  data: LabeledSet,
  batch: number,
  shouldStop: (() => boolean) | undefined,
): Promise<tf.Tensor> {
  const exe = prepare(prefix, hooks);
  const parts: tf.Tensor[] = [];
  try {
    for (let s = 0; s < data.count; s += batch) {
      if (shouldStop?.()) throw new CancelledError();
      const { x } = data.batch(s, Math.min(data.count, s + batch));
      try {
        const r = exe.run(x);
        parts.push(r.output);
        tf.dispose(r.outputs.filter((t) => t !== r.output));
      } finally {
        x.dispose();
      }
      await Promise.resolve();
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts);
  } finally {
    exe.dispose();
    if (parts.length > 1) tf.dispose(parts);
  }
}

/**
 * AdaRound of every weighted node of the folded `ir` that has an encoding (`encodings`: the
 * weight quantizers of prepareWeights). `nearest`: each node's round-to-nearest kernel, the
 * baseline of the reports and the kernel of quantized nodes left out by `options.nodes`.
 * Returns node → result, in topological order; the kernels go to quantSim's withWeights.
 */
export async function adaroundModel(
  ir: ModelIR,
  encodings: ReadonlyMap<string, Encodings>,
  nearest: ReadonlyMap<string, Float32Array>,
  calibration: LabeledSet,
  options: AdaRoundModelOptions = {},
): Promise<Map<string, AdaRoundLayerResult>> {
  const wanted = options.nodes ? new Set(options.nodes) : null;
  const targets = ir.nodes.filter(
    (n): n is WeightedNode =>
      isWeighted(n) &&
      !!n.weights.kernel &&
      encodings.has(n.name) &&
      (!wanted || wanted.has(n.name)),
  );
  const {
    nodes: _nodes,
    collectBatch,
    activationHooks,
    onProgress,
    onLayer,
    shouldStop: stop,
    ...layerOptions
  } = options;
  const batch = collectBatch ?? 128;
  const iterations = Math.max(1, Math.floor(options.iterations ?? ADAROUND_ITERATIONS));
  const results = new Map<string, AdaRoundLayerResult>();
  const kernels = new Map(nearest);
  const quantizedHooks: QuantHooks = {
    placement: [],
    ...activationHooks,
    weightTransform: (n, name, values) =>
      (name === 'kernel' ? kernels.get(n.name) : null) ?? values,
  };
  for (const [layer, node] of targets.entries()) {
    const enc = encodings.get(node.name) as Encodings;
    const input = node.inputs[0] ?? '';
    const x = await collect(prefixTo(ir, input), quantizedHooks, calibration, batch, stop);
    let target: tf.Tensor | null = null;
    try {
      target = await collect(prefixTo(ir, node.name), { placement: [] }, calibration, batch, stop);
      const near = nearest.get(node.name);
      const result = await adaroundLayer(node, enc, x, target, {
        ...layerOptions,
        ...(stop ? { shouldStop: stop } : {}),
        seed: (options.seed ?? 0) + layer,
        ...(near ? { nearest: near } : {}),
        ...(onProgress
          ? {
              onProgress: (iteration, stats) =>
                onProgress({
                  node: node.name,
                  layer,
                  layers: targets.length,
                  iteration,
                  iterations,
                  stats,
                }),
            }
          : {}),
      });
      results.set(node.name, result);
      kernels.set(node.name, result.quantized);
      onLayer?.(result, layer, targets.length);
    } finally {
      x.dispose();
      target?.dispose();
    }
  }
  return results;
}

/** The AdaRounded kernels, for quantSim's `withWeights(prepared, updates)`. */
export const adaroundKernels = (results: ReadonlyMap<string, AdaRoundLayerResult>) =>
  new Map([...results].map(([node, r]) => [node, { quantized: r.quantized }]));
