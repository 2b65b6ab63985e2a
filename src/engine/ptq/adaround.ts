/**
 * AdaRound for one layer (paper 3.4, Eq. 35): learn whether each weight rounds down or up,
 *   argmin_V ‖f_a(W̃x̂ + b) − f_a(Wx + b)‖² + λ·f_reg(V),
 *   W̃ = s·(clamp(⌊W/s⌋ + h(V) + z, qmin, qmax) − z)      (Eq. 33 with an asymmetric grid)
 * with Adam on V over seeded minibatches of output positions (adaroundRows.ts), AIMET's
 * rectified sigmoid, β schedule and λ (quant/adaround.ts), then hard rounding at h ≥ 0.5.
 * The reconstruction term follows AIMET: squared error summed over output channels, averaged
 * over positions. Rows, minibatches and the output MSE: adaroundData.ts. The whole model, layer
 * by layer: adaroundModel.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { dequantize, fakeQuant, quantize } from '@/quant/affine';
import {
  ADAROUND,
  adaroundGrid,
  betaAt,
  hardCodes,
  initialV,
  type AdaRoundGrid,
} from '@/quant/adaround';
import { mse } from '@/quant/metrics';
import { mulberry32, permutation, type Rng } from '@/quant/random';
import type { Encodings } from '@/quant/types';
import { CancelledError } from '../eval/evaluate';
import type { WeightedNode } from '../model/ir';
import { batchesOf, outputMse, sampleRows } from './adaroundData';
import {
  disposeBatch,
  groupedChannels,
  groupedForward,
  groupedKernel,
  type RowBatch,
} from './adaroundRows';
import { nextTask } from '../yieldTask';

/** Iterations per layer when not given: enough for the zoo's small layers (AIMET: 10 000). */
export const ADAROUND_ITERATIONS = 1000;

export interface AdaRoundStats {
  iteration: number;
  /** reconstruction + rounding, on the iteration's minibatch. */
  total: number;
  /** Σ over channels of the squared output error, mean over the minibatch's positions. */
  reconstruction: number;
  /** λ·f_reg (0 during the warm start). */
  rounding: number;
  beta: number;
}

export interface AdaRoundOptions {
  /** Adam steps; default ADAROUND_ITERATIONS. */
  iterations?: number;
  /** Output positions (rows) per minibatch; default 1024 (an image's 14×14 conv = 196 rows). */
  batchSize?: number;
  /** At most this many rows are kept (a seeded subset) to bound memory; default 32 768. */
  maxRows?: number;
  /** λ of Eq. 35; default 0.01 (AIMET). */
  regularization?: number;
  /** [β_start, β_end]; default [20, 2]. */
  betaRange?: readonly [number, number];
  /** Fraction of iterations without the rounding loss; default 0.2. */
  warmStart?: number;
  /** Adam learning rate; default 0.01 (AIMET's 1e-3 is for 10 000 iterations; see docs). */
  learningRate?: number;
  seed?: number;
  /** onProgress and lossCurve every this many iterations; default iterations/50. */
  progressEvery?: number;
  onProgress?: (iteration: number, stats: AdaRoundStats) => void;
  /** Checked every iteration; true throws a CancelledError. */
  shouldStop?: () => boolean;
  /** The round-to-nearest kernel to compare with; default fakeQuant(kernel, enc). */
  nearest?: Float32Array;
}

export interface AdaRoundLayerResult {
  node: string;
  iterations: number;
  /** Fake-quantized kernel on the grid, the kernel's layout: s·(codes − z). */
  quantized: Float32Array;
  /** Integer codes in [qmin, qmax], each ⌊w/s⌋ + z or one more (clamped). */
  codes: Int32Array;
  /** Layer-output MSE mean (f_a(Ŵx̂ + b) − f_a(Wx + b))² over every calibration input value. */
  reconstructionMse: { nearest: number; adaround: number };
  /** Mean (Ŵ − W)²: nearest is the minimum by construction; AdaRound trades it for the output. */
  weightMse: { nearest: number; adaround: number };
  lossCurve: AdaRoundStats[];
  /** Share of weights rounded up (h ≥ 0.5), and whose code differs from round-to-nearest. */
  fractionRoundedUp: number;
  fractionChanged: number;
  /** Rows (output positions) optimised over, after the maxRows subset. */
  rows: number;
  millis: number;
}

/** Yield to the event loop this often (ms) so a worker still sees cancel and progress. */
const YIELD_MS = 30;

/** h(V) = clip(σ(V)(ζ − γ) + γ, 0, 1) on tensors. */
const rectified = (v: tf.Tensor) =>
  tf.clipByValue(
    tf.add(tf.mul(tf.sigmoid(v), ADAROUND.zeta - ADAROUND.gamma), ADAROUND.gamma),
    0,
    1,
  );

/** The grid as constant tensors (the caller disposes them), and W̃(V) of Eq. 33. */
function softKernel(grid: AdaRoundGrid, shape: number[]) {
  const base = tf.tensor(grid.base, shape);
  const scale = tf.tensor(grid.scale, shape);
  const zero = tf.tensor(grid.zeroPoint, shape);
  return {
    tensors: [base, scale, zero],
    weights: (h: tf.Tensor) =>
      tf.mul(tf.sub(tf.clipByValue(tf.add(base, h), grid.qmin, grid.qmax), zero), scale),
  };
}

interface Optimised {
  h: Float32Array;
  lossCurve: AdaRoundStats[];
}

/** Adam on V over the batches (Eq. 35); returns h(V) at the end. Disposes nothing it was given. */
async function optimise(
  node: WeightedNode,
  grid: AdaRoundGrid,
  batches: readonly RowBatch[],
  options: AdaRoundOptions,
  rng: Rng,
): Promise<Optimised> {
  const iterations = iterationsOf(options);
  const lambda = options.regularization ?? ADAROUND.regularization;
  const schedule = {
    betaRange: options.betaRange ?? ADAROUND.betaRange,
    warmStart: options.warmStart ?? ADAROUND.warmStart,
  };
  const every = Math.max(1, options.progressEvery ?? Math.ceil(iterations / 50));
  const shape = [...(node.weights.kernel?.shape ?? [])];
  const soft = softKernel(grid, shape);
  const vector = (name: 'bias' | 'clip') => {
    const w = node.weights[name];
    return w ? groupedChannels(node, w.values) : null;
  };
  const bias = vector('bias');
  const clip = vector('clip');
  const init = tf.tensor(grid.rest.map(initialV), shape);
  const v = tf.variable(init, true);
  init.dispose();
  const optimizer = tf.train.adam(options.learningRate ?? 0.01);
  const lossCurve: AdaRoundStats[] = [];
  let order: number[] = [];
  let lastYield = performance.now();
  try {
    for (let it = 0; it < iterations; it++) {
      if (options.shouldStop?.()) throw new CancelledError();
      const { beta, active } = betaAt(it, iterations, schedule);
      const record = it % every === 0 || it === iterations - 1;
      if (order.length === 0) order = permutation(batches.length, rng);
      const batch = batches[order.pop() as number] as RowBatch;
      let parts: tf.Tensor[] = [];
      const cost = optimizer.minimize(
        () => {
          const h = rectified(v);
          const w = groupedKernel(node, soft.weights(h));
          const y = groupedForward(node, batch, w, bias, clip);
          // AIMET's reconstruction loss: Σ over channels, mean over the batch's positions.
          const rec = tf.div(tf.sum(tf.squaredDifference(y, batch.target)), batch.size);
          // Eq. 34: λ Σ 1 − |2h − 1|^β, off during the warm start.
          const reg = active
            ? tf.mul(lambda, tf.sum(tf.sub(1, tf.pow(tf.abs(tf.sub(tf.mul(h, 2), 1)), beta))))
            : tf.scalar(0);
          if (record) parts = [tf.keep(rec), tf.keep(reg)];
          return tf.add(rec, reg) as tf.Scalar;
        },
        record,
        [v],
      );
      if (record && cost) {
        const [total, rec, reg] = await Promise.all([cost, ...parts].map((t) => t.data()));
        tf.dispose([cost, ...parts]);
        const stats = {
          iteration: it,
          total: total?.[0] ?? NaN,
          reconstruction: rec?.[0] ?? NaN,
          rounding: reg?.[0] ?? NaN,
          beta,
        };
        lossCurve.push(stats);
        options.onProgress?.(it, stats);
      }
      if (performance.now() - lastYield > YIELD_MS) {
        await nextTask();
        lastYield = performance.now();
      }
    }
    const hv = tf.tidy(() => rectified(v));
    const h = (await hv.data()) as Float32Array;
    hv.dispose();
    return { h, lossCurve };
  } finally {
    optimizer.dispose();
    tf.dispose([v, ...soft.tensors, ...(bias ? [bias] : []), ...(clip ? [clip] : [])]);
  }
}

const iterationsOf = (o: { iterations?: number }) =>
  Math.max(1, Math.floor(o.iterations ?? ADAROUND_ITERATIONS));

/**
 * AdaRound of one layer. `x` is the layer's input x̂ over the calibration images with earlier
 * layers already quantized ([n, ...]); `target` is f_a(Wx + b), the FP layer's output on the
 * FP input ([n, ..., outChannels]). Neither is disposed; every tensor made here is.
 */
export async function adaroundLayer(
  node: WeightedNode,
  enc: Encodings,
  x: tf.Tensor,
  target: tf.Tensor,
  options: AdaRoundOptions = {},
): Promise<AdaRoundLayerResult> {
  const started = performance.now();
  const kernel = node.weights.kernel;
  if (!kernel) throw new Error(`AdaRound: node ${node.name} has no kernel`);
  const rng = mulberry32(options.seed ?? 0);
  const grid = adaroundGrid(kernel.values, enc);
  const nearest = options.nearest ?? fakeQuant(kernel.values, enc);
  const data = await sampleRows(node, x, target, options.maxRows ?? 32_768, rng);
  const batches = batchesOf(node, data, Math.max(1, options.batchSize ?? 1024), rng);
  let opt: Optimised;
  try {
    opt = await optimise(node, grid, batches, options, rng);
  } finally {
    batches.forEach(disposeBatch);
  }
  const { h, lossCurve } = opt;
  const codes = hardCodes(grid, h);
  const quantized = dequantize(codes, enc);
  const [nearestMse = NaN, adaMse = NaN] = await outputMse(node, x, target, [nearest, quantized]);
  const nearestCodes = quantize(nearest, enc);
  let up = 0;
  let changed = 0;
  for (let i = 0; i < codes.length; i++) {
    if ((h[i] as number) >= 0.5) up++;
    if (codes[i] !== nearestCodes[i]) changed++;
  }
  return {
    node: node.name,
    iterations: iterationsOf(options),
    quantized,
    codes,
    reconstructionMse: { nearest: nearestMse, adaround: adaMse },
    weightMse: { nearest: mse(kernel.values, nearest), adaround: mse(kernel.values, quantized) },
    lossCurve,
    fractionRoundedUp: up / Math.max(1, codes.length),
    fractionChanged: changed / Math.max(1, codes.length),
    rows: data.count,
    millis: performance.now() - started,
  };
}
