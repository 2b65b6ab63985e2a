/**
 * One IR node as TF.js ops, mirroring what each Keras layer's `call` does at inference so the
 * executor reproduces model.predict (same op sequence: conv → bias → activation, tf.batchNorm,
 * Add as a left-to-right sum). Runs inside the caller's tf.tidy.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActivationFn, IrNode, WeightName } from '../model/ir';

export type NodeWeights = ReadonlyMap<WeightName, tf.Tensor>;

export function activate(x: tf.Tensor, fn: ActivationFn): tf.Tensor {
  switch (fn) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'softmax':
      return tf.softmax(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

function need(w: NodeWeights, name: WeightName, node: string): tf.Tensor {
  const t = w.get(name);
  if (!t) throw new Error(`Node ${node} has no ${name} weight`);
  return t;
}

const withBias = (y: tf.Tensor, bias: tf.Tensor | undefined) => (bias ? tf.add(y, bias) : y);

/** The fused activation of a weighted node; ReLU6 with a per-channel `clip` after CLE. */
function fused(y: tf.Tensor, fn: ActivationFn, w: NodeWeights): tf.Tensor {
  const clip = w.get('clip');
  return fn === 'relu6' && clip ? tf.minimum(tf.relu(y), clip) : activate(y, fn);
}

/** Dense on any rank: contracts the last axis, as Keras does (K.dot). */
function dense(x: tf.Tensor, kernel: tf.Tensor): tf.Tensor {
  if (x.rank === 2) return tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D);
  const outShape = [...x.shape.slice(0, -1), kernel.shape[1] ?? 0];
  const flat = tf.reshape(x, [-1, x.shape[x.rank - 1] ?? 0]) as tf.Tensor2D;
  return tf.reshape(tf.matMul(flat, kernel as tf.Tensor2D), outShape);
}

/** A ReLU or ReLU6 that an activation quantizer after this node can take over (paper 2.3.2). */
export type FusibleActivation = 'relu' | 'relu6';

/**
 * The fused activation of a dense or conv node that its output quantizer's clamp can apply
 * instead (ReLU: lower bound 0; ReLU6: also upper bound 6), or null. Not ReLU6 with CLE's
 * per-channel `clip`.
 */
export function fusibleActivation(node: IrNode, w: NodeWeights): FusibleActivation | null {
  if (node.type !== 'dense' && node.type !== 'conv2d' && node.type !== 'depthwiseConv2d')
    return null;
  const fn = node.config.activation;
  if (fn === 'relu') return fn;
  return fn === 'relu6' && !w.has('clip') ? fn : null;
}

/**
 * One node's ops. `withoutActivation`: a dense/conv node leaves out its fused activation (the
 * caller's quantizer applies it, see fusibleActivation).
 */
export function applyNode(
  node: IrNode,
  xs: readonly tf.Tensor[],
  w: NodeWeights,
  withoutActivation = false,
): tf.Tensor {
  const act = (y: tf.Tensor, fn: ActivationFn) => (withoutActivation ? y : fused(y, fn, w));
  const x = xs[0];
  if (!x) throw new Error(`Node ${node.name} has no input`);
  const x4 = x as tf.Tensor4D;
  switch (node.type) {
    case 'input':
    case 'dropout':
      return x;
    case 'dense': {
      const y = withBias(dense(x, need(w, 'kernel', node.name)), w.get('bias'));
      return act(y, node.config.activation);
    }
    case 'conv2d': {
      const { strides, padding, dilation, activation } = node.config;
      const k = need(w, 'kernel', node.name) as tf.Tensor4D;
      const y = tf.conv2d(x4, k, [...strides], padding, 'NHWC', [...dilation]);
      return act(withBias(y, w.get('bias')), activation);
    }
    case 'depthwiseConv2d': {
      const { strides, padding, dilation, activation } = node.config;
      const k = need(w, 'kernel', node.name) as tf.Tensor4D;
      const y = tf.depthwiseConv2d(x4, k, [...strides], padding, 'NHWC', [...dilation]);
      return act(withBias(y, w.get('bias')), activation);
    }
    case 'batchNorm': {
      const mean = need(w, 'movingMean', node.name) as tf.Tensor1D;
      const variance = need(w, 'movingVariance', node.name) as tf.Tensor1D;
      const beta = w.get('beta') as tf.Tensor1D | undefined;
      const gamma = w.get('gamma') as tf.Tensor1D | undefined;
      return tf.batchNorm(x, mean, variance, beta, gamma, node.config.epsilon);
    }
    case 'activation':
      return activate(x, node.config.fn);
    case 'maxPool2d':
    case 'avgPool2d': {
      const { poolSize, strides, padding } = node.config;
      const pool = node.type === 'maxPool2d' ? tf.maxPool : tf.avgPool;
      return pool(x4, [...poolSize], [...strides], padding);
    }
    case 'globalAvgPool2d':
      return tf.mean(x, [1, 2]);
    case 'flatten':
      return tf.reshape(x, [x.shape[0] ?? -1, -1]);
    case 'reshape':
      return tf.reshape(x, [x.shape[0] ?? -1, ...node.config.targetShape]);
    case 'zeroPadding2d': {
      const [[t, b], [l, r]] = node.config.padding;
      return tf.pad(x, [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ]);
    }
    case 'add':
      return xs.slice(1).reduce((acc, t) => tf.add(acc, t), x);
    case 'concatenate':
      return tf.concat([...xs], node.config.axis);
  }
}
