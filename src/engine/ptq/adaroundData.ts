/**
 * The calibration data of one AdaRound layer (paper 3.4, Eq. 35), a chunk of images at a time
 * so the full im2col never exists at once: a seeded subset of output positions with their FP
 * targets f_a(Wx + b) on the host, fixed minibatches of it (adaroundRows.ts), and the output MSE
 * of candidate kernels over every calibration image.
 */
import * as tf from '@tensorflow/tfjs';
import { permutation, type Rng } from '@/quant/random';
import type { WeightedNode } from '../model/ir';
import { applyNode } from '../quantsim/ops';
import { disposeBatch, layerRows, makeBatch, rowGeometry, type RowBatch } from './adaroundRows';

const CHUNK_IMAGES = 32;

const sliceImages = (t: tf.Tensor, start: number, end: number) =>
  tf.slice(t, [start, ...t.shape.slice(1).map(() => 0)], [end - start, ...t.shape.slice(1)]);

/** Rows and FP targets ([P, G·K], [P, G·M] flat) of at most maxRows output positions. */
export interface Rows {
  count: number;
  rows: Float32Array;
  targets: Float32Array;
}

/**
 * The layer's rows and targets on the host, a seeded subset of at most maxRows positions,
 * built a chunk of images at a time so the full im2col never exists at once.
 */
export async function sampleRows(
  node: WeightedNode,
  x: tf.Tensor,
  target: tf.Tensor,
  maxRows: number,
  rng: Rng,
): Promise<Rows> {
  const { groups, k } = rowGeometry(node);
  const n = x.shape[0] ?? 0;
  const channels = target.shape[target.rank - 1] ?? 1;
  const perImage = target.size / Math.max(1, n * channels);
  const total = n * perImage;
  const keep =
    total > maxRows ? Int32Array.from(permutation(total, rng).slice(0, maxRows)).sort() : null;
  const count = keep ? keep.length : total;
  const rows = new Float32Array(count * groups * k);
  const targets = new Float32Array(count * channels);
  let at = 0;
  for (let s = 0; s < n; s += CHUNK_IMAGES) {
    const e = Math.min(n, s + CHUNK_IMAGES);
    const lo = at;
    let hi = keep ? lo : lo + (e - s) * perImage;
    while (keep && hi < keep.length && (keep[hi] as number) < e * perImage) hi++;
    if (hi === lo) continue;
    const [r, t] = tf.tidy(() => {
      const r = layerRows(node, sliceImages(x, s, e));
      const t = tf.reshape(sliceImages(target, s, e), [-1, channels]);
      if (!keep) return [r, t];
      const idx = tf.tensor1d(
        keep.subarray(lo, hi).map((i) => i - s * perImage),
        'int32',
      );
      return [tf.gather(r, idx), tf.gather(t, idx)];
    });
    try {
      const [rv, tv] = await Promise.all([(r as tf.Tensor).data(), (t as tf.Tensor).data()]);
      rows.set(rv as Float32Array, lo * groups * k);
      targets.set(tv as Float32Array, lo * channels);
    } finally {
      tf.dispose([r as tf.Tensor, t as tf.Tensor]);
    }
    at = hi;
  }
  return { count, rows, targets };
}

/** Fixed minibatches of a seeded permutation of the rows (the last one may be smaller). */
export function batchesOf(node: WeightedNode, data: Rows, size: number, rng: Rng): RowBatch[] {
  const order = Int32Array.from(permutation(data.count, rng));
  const out: RowBatch[] = [];
  const geo = rowGeometry(node);
  try {
    for (let s = 0; s < data.count; s += size)
      out.push(makeBatch(geo, data.rows, data.targets, order.subarray(s, s + size)));
  } catch (e) {
    out.forEach(disposeBatch);
    throw e;
  }
  return out;
}

/** Mean squared output error over all of x, for each candidate kernel (the executor's op). */
export async function outputMse(
  node: WeightedNode,
  x: tf.Tensor,
  target: tf.Tensor,
  kernels: readonly Float32Array[],
): Promise<number[]> {
  const shape = node.weights.kernel?.shape ?? [];
  const sums = new Float64Array(kernels.length);
  const fixed = (['bias', 'clip'] as const).flatMap((name) => {
    const w = node.weights[name];
    return w ? [[name, tf.tensor(w.values, [...w.shape])] as const] : [];
  });
  const ks = kernels.map((k) => tf.tensor(k, [...shape]));
  try {
    const n = x.shape[0] ?? 0;
    for (let s = 0; s < n; s += CHUNK_IMAGES) {
      const e = Math.min(n, s + CHUNK_IMAGES);
      const part = tf.tidy(() => {
        const xs = sliceImages(x, s, e);
        const ts = sliceImages(target, s, e);
        const errs = ks.map((k) => {
          const y = applyNode(node, [xs], new Map([...fixed, ['kernel', k] as const]));
          return tf.sum(tf.squaredDifference(y, ts));
        });
        return tf.stack(errs);
      });
      const values = await part.data();
      part.dispose();
      values.forEach((v, i) => (sums[i] = (sums[i] ?? 0) + v));
    }
  } finally {
    tf.dispose([...ks, ...fixed.map(([, t]) => t)]);
  }
  return Array.from(sums, (v) => v / Math.max(1, target.size));
}
