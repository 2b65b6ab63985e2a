/**
 * Small zoo-like Keras models for the graph / fold / executor tests, with every weight drawn
 * from the seeded PRNG (BN moving statistics included, so folding is non-trivial).
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32, randNormal } from '@/quant/random';

const L = tf.layers;

/** Replaces every weight: kernels ~ N(0, 1/fan_in), BN γ ∈ [0.5, 1.5], σ² ∈ [0.3, 2]. */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const rng = mulberry32(seed);
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const kind = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
      const size = w.shape.reduce<number>((a, b) => a * (b ?? 1), 1);
      const fanIn = size / (w.shape[w.shape.length - 1] ?? 1);
      const draw = (): number => {
        if (kind === 'gamma') return 0.5 + rng();
        if (kind === 'moving_variance') return 0.3 + 1.7 * rng();
        if (kind.endsWith('kernel')) return randNormal(rng) / Math.sqrt(fanIn);
        return 0.3 * randNormal(rng); // bias, beta, moving_mean
      };
      return tf.tensor(Float32Array.from({ length: size }, draw), w.shape as number[]);
    });
    if (values.length) layer.setWeights(values);
    tf.dispose(values);
  }
}

export function mlp(): tf.LayersModel {
  return tf.sequential({
    layers: [
      L.flatten({ inputShape: [4, 4, 1], name: 'flat' }),
      L.dense({ units: 8, activation: 'relu', name: 'd1' }),
      L.dropout({ rate: 0.5, name: 'drop' }),
      L.dense({ units: 6, activation: 'relu', name: 'd2' }),
      L.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
}

/** Conv (no bias) → BN → ReLU twice, max pool, average pool, Dense softmax head. */
export function cnn(): tf.LayersModel {
  const block = (i: number) => [
    L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, name: `c${i}` }),
    L.batchNormalization({ name: `bn${i}` }),
    L.activation({ activation: 'relu', name: `r${i}` }),
  ];
  return tf.sequential({
    layers: [
      L.inputLayer({ inputShape: [8, 8, 1], name: 'image' }),
      ...block(1),
      L.maxPooling2d({ poolSize: 2, name: 'mp' }),
      ...block(2),
      L.averagePooling2d({ poolSize: 2, name: 'ap' }),
      L.flatten({ name: 'flat' }),
      L.dense({ units: 3, activation: 'softmax', name: 'out' }),
    ],
  });
}

/** MobileNet-like: stem conv-BN-ReLU6, depthwise-BN-ReLU6 + 1×1 conv-BN-ReLU6, GAP, Dense. */
export function dwsep(): tf.LayersModel {
  const bnRelu6 = (n: string) => [
    L.batchNormalization({ name: `${n}_bn` }),
    L.reLU({ maxValue: 6, name: `${n}_relu6` }),
  ];
  return tf.sequential({
    layers: [
      L.conv2d({
        inputShape: [8, 8, 2],
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        useBias: false,
        name: 'stem',
      }),
      ...bnRelu6('stem'),
      L.depthwiseConv2d({
        kernelSize: 3,
        depthMultiplier: 2,
        padding: 'same',
        useBias: false,
        name: 'dw',
      }),
      ...bnRelu6('dw'),
      L.conv2d({ filters: 6, kernelSize: 1, useBias: false, name: 'pw' }),
      ...bnRelu6('pw'),
      L.globalAveragePooling2d({ name: 'gap' }),
      L.dense({ units: 3, name: 'logits' }),
    ],
  });
}

/**
 * Functional graph exercising the rest: ZeroPadding2D, SeparableConv2D, a conv layer shared
 * by two branches (two inbound nodes), Add, Concatenate, a BN after Add (not foldable), a
 * conv with fused ReLU before a BN (not foldable), Reshape, Activation tanh, Softmax layer.
 */
export function functional(): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 3], name: 'x' });
  const pad = L.zeroPadding2d({
    padding: [
      [1, 0],
      [0, 1],
    ],
    name: 'pad',
  }).apply(x) as tf.SymbolicTensor;
  const sep = L.separableConv2d({
    filters: 4,
    kernelSize: 2,
    depthMultiplier: 2,
    name: 'sep',
  }).apply(pad);
  const sepBn = L.batchNormalization({ name: 'sep_bn' }).apply(sep);
  const a = L.reLU({ maxValue: 6, name: 'a_relu6' }).apply(sepBn) as tf.SymbolicTensor;
  const shared = L.conv2d({ filters: 4, kernelSize: 1, name: 'shared' });
  const b1 = shared.apply(a) as tf.SymbolicTensor;
  const b2 = shared.apply(b1) as tf.SymbolicTensor;
  const sum = L.add({ name: 'add' }).apply([a, b1, b2]);
  const sumBn = L.batchNormalization({ name: 'add_bn' }).apply(sum) as tf.SymbolicTensor;
  const reluConv = L.conv2d({
    filters: 2,
    kernelSize: 1,
    activation: 'relu',
    name: 'relu_conv',
  }).apply(sumBn);
  const lateBn = L.batchNormalization({ name: 'late_bn' }).apply(reluConv) as tf.SymbolicTensor;
  const cat = L.concatenate({ name: 'cat' }).apply([sumBn, lateBn]);
  const pooled = L.globalAveragePooling2d({ name: 'gap' }).apply(cat);
  const shaped = L.reshape({ targetShape: [2, 3], name: 'shape' }).apply(pooled);
  const t = L.activation({ activation: 'tanh', name: 'tanh' }).apply(shaped);
  const flat = L.flatten({ name: 'flat' }).apply(t);
  const logits = L.dense({ units: 3, name: 'logits' }).apply(flat);
  const y = L.softmax({ name: 'probs' }).apply(logits) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'functional' });
}

/** Two residual blocks: conv-BN-ReLU-conv-BN + skip → Add → ReLU, GAP, Dense. */
export function resnet(): tf.LayersModel {
  const x = tf.input({ shape: [6, 6, 4], name: 'x' });
  let h: tf.SymbolicTensor = x;
  for (const i of [1, 2]) {
    let r = L.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      name: `b${i}_c1`,
    }).apply(h);
    r = L.batchNormalization({ name: `b${i}_bn1` }).apply(r);
    r = L.reLU({ name: `b${i}_r1` }).apply(r);
    r = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: `b${i}_c2` }).apply(r);
    r = L.batchNormalization({ name: `b${i}_bn2` }).apply(r);
    const s = L.add({ name: `b${i}_add` }).apply([h, r as tf.SymbolicTensor]);
    h = L.reLU({ name: `b${i}_out` }).apply(s) as tf.SymbolicTensor;
  }
  const g = L.globalAveragePooling2d({ name: 'gap' }).apply(h);
  const y = L.dense({ units: 3, activation: 'softmax', name: 'out' }).apply(g) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y, name: 'resnet' });
}

export const TEST_MODELS = { mlp, cnn, dwsep, functional, resnet } as const;

/** A random batch [n, ...inputShape] from the seeded PRNG. */
export function randomInput(model: tf.LayersModel, n: number, seed: number): tf.Tensor {
  const shape = [n, ...(model.inputs[0]?.shape.slice(1) as number[])];
  const rng = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => randNormal(rng)),
    shape,
  );
}

/** max |a − b| and max |b|, read with the async data() (never dataSync). */
export async function compare(
  a: tf.Tensor,
  b: tf.Tensor,
): Promise<{ maxAbs: number; maxRef: number }> {
  if (a.shape.join() !== b.shape.join()) throw new Error(`shapes ${a.shape} vs ${b.shape}`);
  const [x, y] = await Promise.all([a.data(), b.data()]);
  let maxAbs = 0;
  let maxRef = 0;
  for (let i = 0; i < y.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs((x[i] ?? NaN) - (y[i] ?? NaN)));
    maxRef = Math.max(maxRef, Math.abs(y[i] ?? 0));
  }
  return { maxAbs, maxRef };
}
