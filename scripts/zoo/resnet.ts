/** `resnet`: stem conv and two residual blocks joined by element-wise Add (requantization at Add). */
import * as tf from '@tensorflow/tfjs';
import { batchNorm, conv, maxPool, relu, seeds, softmaxHead } from './blocks';
import { type ZooSpec, cosineDecay } from './spec';

type Sym = tf.SymbolicTensor;
const SEED = 14;

/** conv-BN-ReLU-conv-BN plus the skip (a 1x1 conv-BN projection when the shape changes), Add, ReLU. */
function residualBlock(
  x: Sym,
  name: string,
  filters: number,
  strides: number,
  next: () => number,
): Sym {
  let y = conv(x, { name: `${name}a`, filters, kernel: 3, strides }, next);
  y = relu(batchNorm(y, `${name}a_bn`), `${name}a_relu`);
  y = batchNorm(conv(y, { name: `${name}b`, filters, kernel: 3 }, next), `${name}b_bn`);
  const inFilters = x.shape[x.shape.length - 1];
  const skip =
    strides === 1 && inFilters === filters
      ? x
      : batchNorm(
          conv(x, { name: `${name}_proj`, filters, kernel: 1, strides }, next),
          `${name}_proj_bn`,
        );
  const sum = tf.layers.add({ name: `${name}_add` }).apply([y, skip]) as Sym;
  return relu(sum, `${name}_relu`);
}

export const resnetSpec: ZooSpec = {
  id: 'resnet',
  title: 'Small ResNet (2 residual blocks)',
  purpose: 'Residual Add layers: both branches must share a scale, so Add needs requantization.',
  dataset: 'digits',
  input: [28, 28, 1],
  minAccuracy: 0.98,
  shiftPixels: 1,
  lrFactor: cosineDecay(0.05),
  recipe: {
    optimizer: 'adam',
    learningRate: 0.004,
    epochs: 8,
    batchSize: 64,
    seed: SEED,
    augmentation: 'random shifts of up to 1 pixel in x and y (seeded)',
    notes:
      'Stem conv-BN-ReLU + max pool, block res1 (16 ch, identity skip), block res2 (32 ch, stride 2, 1x1 projection skip), global average pooling; convs without bias; BN momentum 0.9, eps 1e-3; cosine learning-rate decay to 5%.',
  },
  build(seed) {
    const next = seeds(seed);
    const input = tf.input({ name: 'input', shape: [28, 28, 1] });
    let x = conv(input, { name: 'conv1', filters: 16, kernel: 3 }, next);
    x = maxPool(relu(batchNorm(x, 'bn1'), 'relu1'), 'pool1');
    x = residualBlock(x, 'res1', 16, 1, next);
    x = residualBlock(x, 'res2', 32, 2, next);
    x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as Sym;
    return tf.model({ name: 'resnet', inputs: input, outputs: softmaxHead(x, 10, next) });
  },
};
