/**
 * `spiral`: a 2-16-16-2 ReLU MLP on the seeded two-arm spiral (decision boundaries you can see).
 * ReLU rather than tanh: with inputs in [-1, 1] and Glorot init the tanh net sat at ~57% test
 * accuracy for 200 epochs, while the ReLU net reaches ~99% in 100.
 */
import * as tf from '@tensorflow/tfjs';
import { dense, relu, seeds, softmaxHead } from './blocks';
import { type ZooSpec, cosineDecay } from './spec';

const SEED = 15;

export const spiralSpec: ZooSpec = {
  id: 'spiral',
  title: 'Spiral MLP 2-16-16-2',
  purpose: 'A tiny 2-D classifier: watch the decision boundary break up as bits fall.',
  dataset: 'spiral',
  input: [2],
  minAccuracy: 0.95,
  shiftPixels: 0,
  lrFactor: cosineDecay(0.05),
  recipe: {
    optimizer: 'adam',
    learningRate: 0.01,
    epochs: 100,
    batchSize: 32,
    seed: SEED,
    augmentation: 'none',
    notes:
      'ReLU hidden layers, He-normal init (Glorot-uniform logits); trained on spiralSplits().train (1,000 points), scored on spiralSplits().test (1,000 points); cosine learning-rate decay to 5%.',
  },
  build(seed) {
    const next = seeds(seed);
    const input = tf.input({ name: 'input', shape: [2] });
    let x = relu(dense(input, 'fc1', 16, next, 'he'), 'relu1');
    x = relu(dense(x, 'fc2', 16, next, 'he'), 'relu2');
    return tf.model({ name: 'spiral', inputs: input, outputs: softmaxHead(x, 2, next) });
  },
};
