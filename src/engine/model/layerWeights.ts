/** Reading a TF.js layer's weights into IR Weights (copies, keyed by IR weight name). */
import type * as tf from '@tensorflow/tfjs';
import type { NodeOf, OpType, Weight, WeightName } from './ir';

/** TF.js weight suffixes (`conv/kernel`) → IR names; a separable's kernels are split later. */
const WEIGHT_NAMES: Readonly<Record<string, WeightName | 'pointwise'>> = {
  kernel: 'kernel',
  depthwise_kernel: 'kernel',
  pointwise_kernel: 'pointwise',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'movingMean',
  moving_variance: 'movingVariance',
};

export type LayerWeights = ReadonlyMap<string, Weight>;

/**
 * Copies (never views) of the layer's weights, read with the async `data()` (dataSync traps on
 * WebGPU, tfjs-notes.md §0); on CPU `data()` may return the variable's own buffer.
 */
export async function readWeights(layer: tf.layers.Layer): Promise<Map<string, Weight>> {
  const out = new Map<string, Weight>();
  for (const w of layer.weights) {
    const suffix = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
    const values = new Float32Array(await w.read().data());
    out.set(WEIGHT_NAMES[suffix] ?? suffix, { values, shape: w.shape as number[] });
  }
  return out;
}

/** The named weights that exist (a layer without bias has none). */
export function pick(all: LayerWeights, names: readonly WeightName[]): NodeOf<OpType>['weights'] {
  const picked: Partial<Record<WeightName, Weight>> = {};
  for (const n of names) {
    const w = all.get(n);
    if (w) picked[n] = w;
  }
  return picked;
}
