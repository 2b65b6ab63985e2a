/**
 * The two-arm spiral of TensorFlow Playground (tensorflow/playground dataset.ts classifySpiralData),
 * seeded: arm k (label k) is r = u, angle = 2*pi*turns*u + k*pi for u uniform in [0, 1), plus
 * Gaussian noise on both coordinates. Points lie roughly in [-1, 1]^2. Pure TS so the app can
 * also draw decision boundaries over the same plane without TF.js.
 */
import { mulberry32, permutation, randNormal } from '@/quant/random';

export interface SpiralOptions {
  seed: number;
  count: number;
  /** Standard deviation of the Gaussian noise added to x and y. */
  noise: number;
  /** Windings of each arm; 1.75 as in TensorFlow Playground. */
  turns?: number;
}

export interface SpiralSet {
  count: number;
  /** Point i is (x[2i], x[2i+1]). */
  x: Float32Array;
  /** 0 or 1; labels alternate, so the classes are balanced. */
  y: Uint8Array;
}

export const SPIRAL_TURNS = 1.75;

/**
 * @example makeSpiral({ seed: 1, count: 4, noise: 0 }).y -> Uint8Array [0, 1, 0, 1]
 */
export function makeSpiral({ seed, count, noise, turns = SPIRAL_TURNS }: SpiralOptions): SpiralSet {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`Spiral count must be a whole number, got ${count}`);
  const rng = mulberry32(seed);
  const x = new Float32Array(2 * count);
  const y = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const u = rng();
    const angle = 2 * Math.PI * turns * u + label * Math.PI;
    x[2 * i] = u * Math.sin(angle) + noise * randNormal(rng);
    x[2 * i + 1] = u * Math.cos(angle) + noise * randNormal(rng);
    y[i] = label;
  }
  return { count, x, y };
}

/** The fixed spiral sets of the zoo's `spiral` model: what it trains on and is scored on. */
export const SPIRAL_TRAIN: Readonly<SpiralOptions> = { seed: 2021, count: 1000, noise: 0.04 };
export const SPIRAL_TEST: Readonly<SpiralOptions> = { seed: 2022, count: 1000, noise: 0.04 };

export function spiralSplits(): { train: SpiralSet; test: SpiralSet } {
  return { train: makeSpiral(SPIRAL_TRAIN), test: makeSpiral(SPIRAL_TEST) };
}

/** The points of `set` in a seeded order (QAT's per-epoch shuffle). */
export function shuffledSpiral(set: SpiralSet, seed: number): SpiralSet {
  const order = permutation(set.count, mulberry32(seed));
  const x = new Float32Array(2 * set.count);
  const y = new Uint8Array(set.count);
  order.forEach((src, i) => {
    x[2 * i] = set.x[2 * src] ?? 0;
    x[2 * i + 1] = set.x[2 * src + 1] ?? 0;
    y[i] = set.y[src] ?? 0;
  });
  return { count: set.count, x, y };
}
