/**
 * A weighted layer as a grouped product of "rows" and its kernel, for AdaRound's minibatches
 * (paper 3.4): every output position of a conv is one row of input patches (im2col), so a set
 * of positions drawn from all calibration images is a minibatch, and f_a(W̃x̂ + b) on it is
 * one batched matMul [G, B, K] × [G, K, M] → [G, B, M]:
 *   Dense      G = 1,   K = in,          M = out
 *   Conv2D     G = 1,   K = kh·kw·cin,   M = cout
 *   Depthwise  G = cin, K = kh·kw,       M = mult    (output channel g·mult + m, as ir.ts says)
 * Patches come from a depthwise conv with a 0/1 "identity" kernel, so padding, strides and
 * dilation are exactly TF.js's own; multiplying by 1 and adding zeros is exact in float.
 * Batches are plain tensors built once (slicing or gathering a big tensor every iteration is
 * slow on WASM), and the kernel gradient uses a pre-transposed copy: on WASM in TF.js 4.22 a
 * matMul with a transposed operand is >10× slower than a plain one.
 */
import * as tf from '@tensorflow/tfjs';
import type { WeightedNode } from '../model/ir';
import { activate } from '../quantsim/ops';

const dims = (node: WeightedNode): number[] => [...(node.weights.kernel?.shape ?? [])];

export interface RowGeometry {
  groups: number;
  k: number;
  m: number;
}

export function rowGeometry(node: WeightedNode): RowGeometry {
  const shape = dims(node);
  const [kh = 1, kw = 1, cin = 1, last = 1] = shape;
  if (node.type === 'dense') return { groups: 1, k: kh, m: kw };
  if (node.type === 'conv2d') return { groups: 1, k: kh * kw * cin, m: last };
  return { groups: cin, k: kh * kw, m: last };
}

/**
 * The 0/1 depthwise kernel [kh, kw, cin, kh·kw] that copies tap (i, j) of channel c to output
 * channel c·kh·kw + i·kw + j.
 */
function identityTaps(kh: number, kw: number, cin: number): tf.Tensor4D {
  const taps = kh * kw;
  const values = new Float32Array(taps * cin * taps);
  for (let t = 0; t < taps; t++) for (let c = 0; c < cin; c++) values[(t * cin + c) * taps + t] = 1;
  return tf.tensor4d(values, [kh, kw, cin, taps]);
}

/**
 * The layer input `x` ([n, ...]) as rows [P, G·K], one per output position, in the row-major
 * order of [P, G, K] (Conv2D's K in the kernel's [kh, kw, cin] order).
 * @example a 3×3 conv on 8 images of 14×14×16 with 'same' padding -> [8·196, 144]
 */
export function layerRows(node: WeightedNode, x: tf.Tensor): tf.Tensor2D {
  const [kh = 1, kw = 1, cin = 1] = dims(node);
  const { groups, k } = rowGeometry(node);
  if (node.type === 'dense') return tf.reshape(x, [-1, k]);
  const { strides, padding, dilation } = node.config;
  const pointwise = kh === 1 && kw === 1 && strides[0] === 1 && strides[1] === 1;
  if (pointwise) return tf.reshape(x, [-1, cin]);
  return tf.tidy(() => {
    const eye = identityTaps(kh, kw, cin);
    const p = tf.depthwiseConv2d(x as tf.Tensor4D, eye, [...strides], padding, 'NHWC', [
      ...dilation,
    ]);
    const r = tf.reshape(p, [-1, cin, kh * kw]);
    if (node.type === 'depthwiseConv2d') return tf.reshape(r, [-1, groups * k]);
    return tf.reshape(tf.transpose(r, [0, 2, 1]), [-1, groups * k]);
  });
}

/** One minibatch: rows x [G, B, K], their transpose [G, K, B], and targets [G, B, M]. */
export interface RowBatch {
  readonly size: number;
  readonly x: tf.Tensor3D;
  readonly xt: tf.Tensor3D;
  readonly target: tf.Tensor3D;
}

/**
 * The batch of rows `idx` from `rows` ([P, G·K] flat) and `targets` ([P, G·M] flat, the
 * layer's output channels in order).
 */
export function makeBatch(
  geo: RowGeometry,
  rows: Float32Array,
  targets: Float32Array,
  idx: ArrayLike<number>,
): RowBatch {
  const { groups: G, k: K, m: M } = geo;
  const B = idx.length;
  const x = new Float32Array(G * B * K);
  const xt = new Float32Array(G * K * B);
  const t = new Float32Array(G * B * M);
  for (let b = 0; b < B; b++) {
    const p = idx[b] as number;
    for (let g = 0; g < G; g++) {
      const src = (p * G + g) * K;
      const dst = (g * B + b) * K;
      for (let j = 0; j < K; j++) {
        const v = rows[src + j] as number;
        x[dst + j] = v;
        xt[(g * K + j) * B + b] = v;
      }
      t.set(targets.subarray((p * G + g) * M, (p * G + g + 1) * M), (g * B + b) * M);
    }
  }
  return {
    size: B,
    x: tf.tensor3d(x, [G, B, K]),
    xt: tf.tensor3d(xt, [G, K, B]),
    target: tf.tensor3d(t, [G, B, M]),
  };
}

export const disposeBatch = (b: RowBatch) => tf.dispose([b.x, b.xt, b.target]);

/** A kernel of the node's shape (any tensor of its size) as [G, K, M]. */
export function groupedKernel(node: WeightedNode, kernel: tf.Tensor): tf.Tensor3D {
  const { groups, k, m } = rowGeometry(node);
  if (node.type !== 'depthwiseConv2d') return tf.reshape(kernel, [1, k, m]);
  // [kh, kw, cin, mult] -> [taps, cin, mult] -> [cin, taps, mult]
  return tf.transpose(tf.reshape(kernel, [k, groups, m]), [1, 0, 2]);
}

/** A per-output-channel vector (bias, ReLU6 clip) as [G, 1, M] to broadcast over a batch. */
export function groupedChannels(node: WeightedNode, values: Float32Array): tf.Tensor3D {
  const { groups, m } = rowGeometry(node);
  return tf.tensor3d(values, [groups, 1, m]);
}

/**
 * f_a(X·W + b) on a batch, [G, B, M], with the node's fused activation and per-channel ReLU6
 * `clip` (as ops.ts applies them). dL/dW = Xᵀ·dy from the batch's stored transpose.
 * Runs inside the caller's tidy.
 */
export function groupedForward(
  node: WeightedNode,
  batch: RowBatch,
  kernel: tf.Tensor3D,
  bias: tf.Tensor3D | null,
  clip: tf.Tensor3D | null,
): tf.Tensor3D {
  const matMul = tf.customGrad((w) => ({
    value: tf.matMul(batch.x, w as tf.Tensor3D),
    gradFunc: (dy) => tf.matMul(batch.xt, dy as tf.Tensor3D),
  }));
  let y = matMul(kernel) as tf.Tensor3D;
  if (bias) y = tf.add(y, bias);
  const fn = node.config.activation;
  return (fn === 'relu6' && clip ? tf.minimum(tf.relu(y), clip) : activate(y, fn)) as tf.Tensor3D;
}
