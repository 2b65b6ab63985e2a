/**
 * `dwsep`: a MobileNet-style net (stride-2 stem conv, four depthwise-separable blocks, ReLU6,
 * global average pooling). Its depthwise layers are the white paper's MobileNetV2 failure case:
 * after BN folding a few channels' weight ranges are far larger than the rest (Sec. 2.4.2), so
 * one per-tensor 8-bit grid leaves the ordinary channels only a handful of levels.
 *
 * Plain training gave folded ratios of only 3-6x here, so the effect is built in openly, by a
 * mechanism MobileNets show naturally: dead ReLU channels. In each BN that feeds a depthwise
 * conv, one channel in DEAD_EVERY (seeded choice) starts with gamma 0 and beta -1, so its ReLU6
 * output is always 0 and no gradient ever revives it. The depthwise channel reading it then sees
 * only zeros: its kernel keeps its initial values, its BN's moving variance decays to ~0, and
 * folding scales it by gamma / sqrt(0 + eps) (~316x with eps 1e-5), an outlier that sets the per-tensor
 * range. A variant with small (not zero) gammas was revived by training (ratios 10-15x).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32, permutation } from '../../src/quant/random';
import { batchNorm, conv, depthwise, relu, seeds, softmaxHead } from './blocks';
import { type ZooSpec, cosineDecay } from './spec';

const SEED = 13;
const DEAD_EVERY = 8;
/** PyTorch's BN default; folding scales a dead channel by 1/sqrt(EPS) (Keras's 1e-3 gave only ~32x). */
const EPS = 1e-5;
/** [stride, pointwise filters] of each block. */
const BLOCKS: readonly [number, number][] = [
  [1, 32],
  [2, 64],
  [1, 64],
  [1, 64],
];
/** The BNs whose output feeds dw1..dw4. */
const FEEDING_BNS = ['bn1', 'pw1_bn', 'pw2_bn', 'pw3_bn'];

/** Kills one channel in DEAD_EVERY of each feeding BN: gamma 0, beta -1, so ReLU6 gives 0. */
function seedDeadChannels(model: tf.LayersModel, seed: number): void {
  const rng = mulberry32(seed);
  for (const name of FEEDING_BNS) {
    const layer = model.getLayer(name);
    const [gamma, beta, ...stats] = layer.getWeights(); // live variables: never dispose them
    const channels = gamma?.shape[0] ?? 0;
    const dead = new Set(
      permutation(channels, rng).slice(0, Math.max(1, Math.round(channels / DEAD_EVERY))),
    );
    const pick = (ifDead: number, otherwise: number): tf.Tensor1D =>
      tf.tensor1d(Array.from({ length: channels }, (_, c) => (dead.has(c) ? ifDead : otherwise)));
    if (!beta) throw new Error(`${name} has no beta`);
    const values = [pick(0, 1), pick(-1, 0)];
    layer.setWeights([...values, ...stats]);
    tf.dispose(values);
  }
}

export const dwsepSpec: ZooSpec = {
  id: 'dwsep',
  title: 'Depthwise-separable (MobileNet-style)',
  purpose:
    'Depthwise convs whose BN-folded channel ranges differ >10x: per-tensor 8-bit weights fail, per-channel works.',
  dataset: 'digits',
  input: [28, 28, 1],
  minAccuracy: 0.98,
  minDepthwiseRangeRatio: 10,
  shiftPixels: 1,
  lrFactor: cosineDecay(0.05),
  recipe: {
    optimizer: 'adam',
    learningRate: 0.004,
    epochs: 12,
    batchSize: 64,
    seed: SEED,
    augmentation: 'random shifts of up to 1 pixel in x and y (seeded)',
    notes:
      'Stem conv 3x3 stride 2 (16 ch), then four blocks DepthwiseConv2D 3x3-BN-ReLU6 / Conv2D 1x1-BN-ReLU6 ' +
      '(strides 1, 2, 1, 1; 32, 64, 64, 64 ch); no conv biases; BN momentum 0.9, eps 1e-5; cosine ' +
      `learning-rate decay to 5%. Built-in outliers: in bn1, pw1_bn, pw2_bn and pw3_bn (the BNs feeding ` +
      `dw1..dw4) one channel in ${DEAD_EVERY} (seeded choice) starts dead (gamma 0, beta -1, so ReLU6 ` +
      'outputs 0 and it never trains), so the depthwise channel reading it keeps its initial kernel, its ' +
      'moving variance decays to ~0 and BN folding scales it by ~1/sqrt(eps) = 316. The saved config still ' +
      'names the default initializers; the weights carry the values. Plain training gave folded ratios ' +
      'of only 3-6x; small instead of zero gammas were revived by training (10-15x), and dead channels ' +
      'with eps 1e-3 gave only 8-13x.',
  },
  build(seed) {
    const next = seeds(seed);
    const input = tf.input({ name: 'input', shape: [28, 28, 1] });
    let x = conv(input, { name: 'conv1', filters: 16, kernel: 3, strides: 2 }, next);
    x = relu(batchNorm(x, 'bn1', EPS), 'relu1', 6);
    BLOCKS.forEach(([stride, filters], i) => {
      const k = i + 1;
      x = depthwise(x, `dw${k}`, stride, next);
      x = relu(batchNorm(x, `dw${k}_bn`, EPS), `dw${k}_relu6`, 6);
      x = conv(x, { name: `pw${k}`, filters, kernel: 1 }, next);
      x = relu(batchNorm(x, `pw${k}_bn`, EPS), `pw${k}_relu6`, 6);
    });
    x = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ name: 'dwsep', inputs: input, outputs: softmaxHead(x, 10, next) });
    seedDeadChannels(model, next());
    return model;
  },
};
