/** `cnn`: three Conv-BN-ReLU stages with max pooling and a Dense head (BN folding target). */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, maxPool, relu, seeds, softmaxHead } from './blocks';
import { type ZooSpec, cosineDecay } from './spec';

const SEED = 12;

export const cnnSpec: ZooSpec = {
  id: 'cnn',
  title: 'CNN 16-32-32 + BN',
  purpose:
    'Conv-BN-ReLU stages: batch-norm folding and per-channel weight quantization of convolutions.',
  dataset: 'digits',
  input: [28, 28, 1],
  minAccuracy: 0.98,
  shiftPixels: 2,
  lrFactor: cosineDecay(0.05),
  recipe: {
    optimizer: 'adam',
    learningRate: 0.002,
    epochs: 8,
    batchSize: 64,
    seed: SEED,
    augmentation: 'random shifts of up to 2 pixels in x and y (seeded)',
    notes:
      'Convs without bias, each followed by BatchNormalization (momentum 0.9, eps 1e-3); He-normal init; cosine learning-rate decay to 5%.',
  },
  build(seed) {
    const next = seeds(seed);
    const input = tf.input({ name: 'input', shape: [28, 28, 1] });
    let x: tf.SymbolicTensor = input;
    const widths = [16, 32, 32];
    widths.forEach((filters, i) => {
      const k = i + 1;
      x = conv(x, { name: `conv${k}`, filters, kernel: 3 }, next);
      x = relu(batchNorm(x, `bn${k}`), `relu${k}`);
      x = maxPool(x, `pool${k}`);
    });
    x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
    return tf.model({ name: 'cnn', inputs: input, outputs: softmaxHead(x, 10, next) });
  },
};
