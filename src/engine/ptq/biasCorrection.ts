/**
 * Bias correction (paper 3.3): quantized weights shift the mean of a layer's output,
 * E[Ŵx] = E[Wx] + ΔW·E[x] with ΔW = Ŵ − W. Subtracting the shift ε from the bias restores the
 * mean at no inference cost. Both functions return the CORRECTED BIAS b − ε of each node they
 * correct (the folded IR's bias b; nodes without a bias weight are skipped: the executor has
 * nowhere to put ε), ready for quantSim's `withWeights(prepared, {bias})`.
 *
 * - Analytic (data-free, Nagel et al. 2019): E[x] from the β, γ of the BN folded into the
 *   producer, as f(N(β, γ²)) for its fused f (quant/biasCorrection.ts), then ε = ΔW·E[x].
 * - Empirical: ε measured layer by layer on calibration data (see EmpiricalOptions.reference).
 */
import * as tf from '@tensorflow/tfjs';
import { expectedActivation, kernelTimesMean, meanPerRow } from '@/quant/biasCorrection';
import type { LabeledSet } from '../data/dataset';
import { CancelledError } from '../eval/evaluate';
import {
  isWeighted,
  nodeByName,
  outChannels,
  prefixTo,
  type IrNode,
  type ModelIR,
  type WeightedNode,
} from '../model/ir';
import type { BnInfo } from '../quantsim/calibrate';
import { type Executable, prepare } from '../quantsim/execute';
import { applyNode } from '../quantsim/ops';

/**
 * Ops between the BN'd producer and the corrected layer that keep the per-channel mean, under
 * the analytic method's assumption that every spatial position of a channel has the same
 * distribution: averages, flattening, identities, and zero padding (exact except that the
 * padded border reads 0, the same approximation as a 'same'-padded conv, which the paper
 * ignores). Max pooling is NOT one: E[max] > E[x], so a layer after a max pool is skipped.
 */
const MEAN_PRESERVING: ReadonlySet<IrNode['type']> = new Set([
  'dropout',
  'zeroPadding2d',
  'avgPool2d',
  'globalAvgPool2d',
  'flatten',
]);

/**
 * E[x] per kernel input row of `node` (per channel; per flattened row for a Dense after a
 * Flatten), from the BN folded into the weighted node that produces its input; null when no
 * BN'd producer reaches it through MEAN_PRESERVING ops.
 */
export function analyticInputMean(
  ir: ModelIR,
  bn: ReadonlyMap<string, BnInfo>,
  node: WeightedNode,
): Float64Array | null {
  const byName = nodeByName(ir);
  let p = byName.get(node.inputs[0] ?? '');
  while (p && MEAN_PRESERVING.has(p.type) && p.inputs.length === 1)
    p = byName.get(p.inputs[0] ?? '');
  const stats = p ? bn.get(p.name) : undefined;
  const kernel = node.weights.kernel;
  if (!p || !isWeighted(p) || !stats || !kernel) return null;
  if (stats.beta.length !== outChannels(p)) return null;
  // The activation the executor applies (ops.ts), with the per-channel ReLU6 bound after CLE.
  const mean = expectedActivation(
    stats.beta,
    stats.gamma,
    p.config.activation,
    p.weights.clip?.values,
  );
  const rows = kernel.shape[kernel.shape.length - 2] ?? 0;
  if (rows === mean.length) return mean;
  return node.type === 'dense' && rows % mean.length === 0 ? meanPerRow(mean, rows) : null;
}

/**
 * Analytic bias correction (paper 3.3): corrected bias b − ΔW·E[x] for every weighted node with
 * a quantized kernel, a bias, and a BN'd producer (analyticInputMean); other nodes are absent.
 * `quantizedKernels`: node → fake-quantized kernel (prepareWeights' `quantized`).
 */
export function analyticBiasCorrection(
  ir: ModelIR,
  bn: ReadonlyMap<string, BnInfo>,
  quantizedKernels: ReadonlyMap<string, Float32Array>,
): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const node of ir.nodes) {
    if (!isWeighted(node)) continue;
    const q = quantizedKernels.get(node.name);
    const { kernel, bias } = node.weights;
    if (!q || !kernel || !bias) continue;
    const mean = analyticInputMean(ir, bn, node);
    if (!mean) continue;
    const delta = Float64Array.from(q, (v, i) => v - (kernel.values[i] ?? 0));
    const eps = kernelTimesMean(delta, kernel.shape, node.type, mean);
    out.set(
      node.name,
      Float32Array.from(bias.values, (b, o) => b - (eps[o] ?? 0)),
    );
  }
  return out;
}

export interface EmpiricalOptions {
  /**
   * What the quantized layer's mean pre-activation is compared with; x̂ is the layer input in
   * the weight-quantized model whose earlier layers are already corrected:
   * - 'float-model' (default, AIMET's empirical BC): ε = E[Ŵx̂] − E[Wx] with x the FP model's
   *   input, so ε also cancels the mean shift that reaches the layer from earlier layers (e.g.
   *   quantization noise clipped by a ReLU6 upstream): the corrected model's pre-activation
   *   means match the FP model's on the calibration set.
   * - 'same-input' (the paper's formula): ε = E[Ŵx̂] − E[Wx̂] = ΔW·E[x̂], the layer's own shift.
   */
  reference?: 'float-model' | 'same-input';
  batchSize?: number;
  /** Called after each batch; `total` = corrected layers × batches. */
  onProgress?: (done: number, total: number) => void;
  /** Checked before each batch; true stops with a CancelledError. */
  shouldStop?: () => boolean;
}

/**
 * Empirical bias correction (paper 3.3, "computed layer by layer"): for each weighted node in
 * topological order with a quantized kernel and a bias, the per-output-channel mean of its
 * pre-activation error over the calibration set (batch and spatial positions), subtracted from
 * its bias; later layers see the earlier corrections. Returns node → corrected bias.
 */
export async function empiricalBiasCorrection(
  ir: ModelIR,
  quantizedKernels: ReadonlyMap<string, Float32Array>,
  calibration: LabeledSet,
  options: EmpiricalOptions = {},
): Promise<Map<string, Float32Array>> {
  const batchSize = options.batchSize ?? 128;
  const targets = ir.nodes.filter(
    (n): n is WeightedNode =>
      isWeighted(n) && quantizedKernels.has(n.name) && !!n.weights.bias && !!n.weights.kernel,
  );
  const total = targets.length * Math.ceil(calibration.count / batchSize);
  let done = 0;
  const corrected = new Map<string, Float32Array>();
  for (const node of targets) {
    const eps = await layerShift(ir, node, quantizedKernels, corrected, calibration, {
      ...options,
      batchSize,
      tick: () => options.onProgress?.(++done, total),
    });
    const bias = node.weights.bias?.values ?? new Float32Array(eps.length);
    corrected.set(
      node.name,
      Float32Array.from(bias, (b, o) => b - (eps[o] ?? 0)),
    );
  }
  return corrected;
}

/** ε of one node: the mean pre-activation error per output channel over the calibration set. */
async function layerShift(
  ir: ModelIR,
  node: WeightedNode,
  kernels: ReadonlyMap<string, Float32Array>,
  corrected: ReadonlyMap<string, Float32Array>,
  data: LabeledSet,
  options: EmpiricalOptions & { batchSize: number; tick: () => void },
): Promise<Float64Array> {
  const prefix = prefixTo(ir, node.inputs[0] ?? '');
  const fromFloat = options.reference !== 'same-input';
  const w = node.weights.kernel?.values ?? new Float32Array();
  const q = kernels.get(node.name) ?? w;
  const shape = [...(node.weights.kernel?.shape ?? [])];
  const linear = { ...node, config: { ...node.config, activation: 'linear' } } as WeightedNode;
  const channels = outChannels(node);
  const sum = new Float64Array(channels);
  let rows = 0;
  const quantized = prepare(prefix, {
    placement: [],
    weightTransform: (n, name, values) =>
      (name === 'kernel' ? kernels.get(n.name) : name === 'bias' ? corrected.get(n.name) : null) ??
      values,
  });
  let float: Executable | null = null;
  let wf: tf.Tensor | null = null;
  // 'same-input' applies ΔW directly: one conv, and no cancellation of large terms.
  const wq = tf.tensor(fromFloat ? q : Float32Array.from(q, (v, i) => v - (w[i] ?? 0)), shape);
  try {
    if (fromFloat) {
      float = prepare(prefix, { placement: [] });
      wf = tf.tensor(w, shape);
    }
    for (let start = 0; start < data.count; start += options.batchSize) {
      if (options.shouldStop?.()) throw new CancelledError();
      const { x } = data.batch(start, Math.min(data.count, start + options.batchSize));
      const owned = new Set<tf.Tensor>([x]);
      try {
        const a = quantized.run(x);
        a.outputs.forEach((t) => owned.add(t));
        const b = float?.run(x);
        b?.outputs.forEach((t) => owned.add(t));
        let positions = 0;
        const part = tf.tidy(() => {
          const yq = applyNode(linear, [a.output], new Map([['kernel', wq]]));
          const d =
            b && wf ? tf.sub(yq, applyNode(linear, [b.output], new Map([['kernel', wf]]))) : yq;
          positions = d.size / channels;
          return tf.sum(tf.reshape(d, [-1, channels]), 0);
        });
        owned.add(part);
        const values = await part.data();
        for (let c = 0; c < channels; c++) sum[c] = (sum[c] ?? 0) + (values[c] ?? 0);
        rows += positions;
      } finally {
        owned.forEach((t) => t.dispose());
      }
      options.tick();
    }
  } finally {
    quantized.dispose();
    float?.dispose();
    wq.dispose();
    wf?.dispose();
  }
  return sum.map((s) => s / Math.max(1, rows));
}
