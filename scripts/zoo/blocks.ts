/**
 * Seeded layer helpers shared by the zoo architectures: every initializer gets its own seed
 * (base seed * 100 + a running count), so a model is the same bytes on every run.
 */
import * as tf from '@tensorflow/tfjs';

type Sym = tf.SymbolicTensor;

/** A source of distinct initializer seeds for one model. */
export function seeds(base: number): () => number {
  let k = 0;
  return () => base * 100 + ++k;
}

export interface ConvOptions {
  name: string;
  filters: number;
  kernel: number;
  strides?: number;
}

/** Conv2D without bias (the BN that follows supplies the shift), He-normal initialised. */
export function conv(x: Sym, o: ConvOptions, seed: () => number): Sym {
  return tf.layers
    .conv2d({
      name: o.name,
      filters: o.filters,
      kernelSize: o.kernel,
      strides: o.strides ?? 1,
      padding: 'same',
      useBias: false,
      kernelInitializer: tf.initializers.heNormal({ seed: seed() }),
    })
    .apply(x) as Sym;
}

export function depthwise(x: Sym, name: string, strides: number, seed: () => number): Sym {
  return tf.layers
    .depthwiseConv2d({
      name,
      kernelSize: 3,
      strides,
      padding: 'same',
      useBias: false,
      depthwiseInitializer: tf.initializers.heNormal({ seed: seed() }),
    })
    .apply(x) as Sym;
}

/** BN with momentum 0.9 (moving statistics settle within the few hundred steps of a run). */
export function batchNorm(x: Sym, name: string, epsilon = 1e-3): Sym {
  return tf.layers.batchNormalization({ name, momentum: 0.9, epsilon }).apply(x) as Sym;
}

export function relu(x: Sym, name: string, maxValue?: number): Sym {
  return tf.layers.reLU({ name, ...(maxValue === undefined ? {} : { maxValue }) }).apply(x) as Sym;
}

export function dense(
  x: Sym,
  name: string,
  units: number,
  seed: () => number,
  init: 'he' | 'glorot' = 'glorot',
): Sym {
  const kernelInitializer =
    init === 'he'
      ? tf.initializers.heNormal({ seed: seed() })
      : tf.initializers.glorotUniform({ seed: seed() });
  return tf.layers.dense({ name, units, kernelInitializer }).apply(x) as Sym;
}

/** The classifier output: logits Dense then a separate softmax layer (logits stay quantizable). */
export function softmaxHead(x: Sym, classes: number, seed: () => number): Sym {
  const logits = dense(x, 'logits', classes, seed);
  return tf.layers.activation({ name: 'softmax', activation: 'softmax' }).apply(logits) as Sym;
}

export function maxPool(x: Sym, name: string): Sym {
  return tf.layers.maxPooling2d({ name, poolSize: 2, strides: 2 }).apply(x) as Sym;
}
