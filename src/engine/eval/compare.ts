/**
 * Runs a quantized executable beside the float one on the same batches: top-1 accuracy of
 * both, and SQNR (quant/metrics convention: 10·log10 Σx² / Σ(x − x̂)²) at chosen nodes,
 * accumulated over the whole set on the device (one read per batch).
 */
import * as tf from '@tensorflow/tfjs';
import type { LabeledSet } from '../data/dataset';
import type { Executable } from '../quantsim/execute';
import { CancelledError } from './evaluate';
import { yielder } from '../yieldTask';

export interface CompareOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

export interface CompareResult {
  count: number;
  fpCorrect: number;
  qCorrect: number;
  /** SQNR in dB per node (Infinity when identical). */
  sqnrDb: Map<string, number>;
}

const toDb = (signal: number, noise: number) =>
  noise === 0 ? Infinity : signal === 0 ? -Infinity : 10 * Math.log10(signal / noise);

/** `nodes` are node names whose outputs both executables produce (e.g. quantizer slots). */
export async function compareRuns(
  fp: Executable,
  q: Executable,
  set: LabeledSet,
  nodes: readonly string[],
  options: CompareOptions = {},
): Promise<CompareResult> {
  const batchSize = options.batchSize ?? 250;
  const signal = new Float64Array(nodes.length);
  const noise = new Float64Array(nodes.length);
  let fpCorrect = 0;
  let qCorrect = 0;
  const maybeYield = yielder();
  for (let start = 0; start < set.count; start += batchSize) {
    await maybeYield(); // lets a cancel (and the heartbeat) in between batches
    if (options.shouldStop?.()) throw new CancelledError();
    const end = Math.min(set.count, start + batchSize);
    const { x, labels } = set.batch(start, end);
    const a = fp.run(x, { collect: nodes });
    const b = q.run(x, { collect: nodes });
    const stats = tf.tidy(() => {
      const sums = nodes.flatMap((n) => {
        const u = a.activations?.get(n) as tf.Tensor;
        const v = b.activations?.get(n) as tf.Tensor;
        return [tf.sum(tf.square(u)), tf.sum(tf.square(tf.sub(u, v)))];
      });
      const preds = [
        tf.cast(tf.argMax(a.output, -1), 'float32'),
        tf.cast(tf.argMax(b.output, -1), 'float32'),
      ];
      return tf.concat([tf.stack(sums.length ? sums : [tf.scalar(0)]), ...preds]);
    });
    const owned = new Set<tf.Tensor>([x, a.output, b.output, ...a.outputs, ...b.outputs]);
    a.activations?.forEach((t) => owned.add(t));
    b.activations?.forEach((t) => owned.add(t));
    try {
      const values = await stats.data();
      nodes.forEach((_, i) => {
        signal[i] = (signal[i] ?? 0) + (values[2 * i] ?? 0);
        noise[i] = (noise[i] ?? 0) + (values[2 * i + 1] ?? 0);
      });
      const offset = Math.max(2 * nodes.length, 1);
      const n = end - start;
      for (let i = 0; i < n; i++) {
        if (values[offset + i] === labels[i]) fpCorrect++;
        if (values[offset + n + i] === labels[i]) qCorrect++;
      }
    } finally {
      stats.dispose();
      owned.forEach((t) => t.dispose());
    }
    options.onProgress?.(end, set.count);
  }
  const sqnr = new Map(nodes.map((n, i) => [n, toDb(signal[i] ?? 0, noise[i] ?? 0)]));
  return { count: set.count, fpCorrect, qCorrect, sqnrDb: sqnr };
}
