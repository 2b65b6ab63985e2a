/**
 * Top-1 accuracy of a model on a labelled set, in batches, reading results with the async
 * `data()` (never dataSync: on WebGPU it returns zeros and loses the device, tfjs-notes.md §0.1),
 * reporting progress after each batch and stopping early when asked.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabeledSet } from '../data/dataset';
import { yielder } from '../yieldTask';

export interface EvalOptions {
  batchSize?: number;
  /** Called after each batch with the images done so far. */
  onProgress?: (done: number, total: number, correct: number) => void;
  /** Checked between batches; true stops the run with a CancelledError. */
  shouldStop?: () => boolean;
  /** Keep the softmax outputs (for cross-backend checks on small sets). */
  keepOutputs?: boolean;
}

export interface EvalResult {
  count: number;
  correct: number;
  accuracy: number;
  predictions: Uint8Array;
  outputs?: Float32Array;
}

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** Anything that maps a batch to class scores: a Layers model or a function (e.g. an Executable). */
export type Predictor = tf.LayersModel | ((x: tf.Tensor) => tf.Tensor);

export async function evaluateAccuracy(
  model: Predictor,
  set: LabeledSet,
  options: EvalOptions = {},
): Promise<EvalResult> {
  const predict =
    typeof model === 'function' ? model : (x: tf.Tensor) => model.predict(x) as tf.Tensor;
  const batchSize = options.batchSize ?? 250;
  const predictions = new Uint8Array(set.count);
  const outputChunks: Float32Array[] = [];
  let correct = 0;
  const maybeYield = yielder();
  for (let start = 0; start < set.count; start += batchSize) {
    await maybeYield(); // lets a cancel (and the heartbeat) in between batches
    if (options.shouldStop?.()) throw new CancelledError();
    const end = Math.min(set.count, start + batchSize);
    const { x, labels } = set.batch(start, end);
    const out = tf.tidy(() => predict(x));
    const argmax = tf.tidy(() => out.argMax(-1));
    try {
      const [pred, probs] = await Promise.all([
        argmax.data(),
        options.keepOutputs ? out.data() : null,
      ]);
      for (let i = 0; i < pred.length; i++) {
        predictions[start + i] = pred[i] ?? 0;
        if (pred[i] === labels[i]) correct++;
      }
      if (probs) outputChunks.push(probs as Float32Array);
    } finally {
      tf.dispose([x, out, argmax]);
    }
    options.onProgress?.(end, set.count, correct);
  }
  const result: EvalResult = {
    count: set.count,
    correct,
    accuracy: set.count ? correct / set.count : 0,
    predictions,
  };
  if (options.keepOutputs) result.outputs = concatFloat32(outputChunks);
  return result;
}

function concatFloat32(chunks: Float32Array[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
