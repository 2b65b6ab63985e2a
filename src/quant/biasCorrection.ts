/**
 * The pure arithmetic of bias correction (paper 3.3): E[ŷ] = E[y] + ΔW·E[x] with ΔW = Ŵ − W, so
 * subtracting ε = ΔW·E[x] from the bias removes the mean output shift of the quantized weights.
 * Kernels use the Keras layouts of the IR: Dense [in, out], Conv2D [kh, kw, in, out],
 * DepthwiseConv2D [kh, kw, in, mult] (output channel i·mult + j reads input channel i).
 */
import { quantError } from './errors';
import { clippedNormalMean } from './normal';

export type KernelLayout = 'dense' | 'conv2d' | 'depthwiseConv2d';
/** The activation after the BN whose β, γ describe the layer input (see expectedActivation). */
export type MeanActivation = 'linear' | 'relu' | 'relu6';

/**
 * E[x_c] for x_c = f(z_c), z_c ~ N(β_c, γ_c²) (analytic bias correction, paper 3.3): β for
 * linear, γφ(β/γ) + βΦ(β/γ) for ReLU, the clipped-normal mean on [0, 6] (or [0, clip_c] after
 * CLE) for ReLU6.
 * @example expectedActivation([0], [1], 'relu') -> [0.3989...] (= 1/√(2π))
 */
export function expectedActivation(
  beta: ArrayLike<number>,
  gamma: ArrayLike<number>,
  fn: MeanActivation,
  clip?: ArrayLike<number>,
): Float64Array {
  if (gamma.length !== beta.length)
    throw quantError('LENGTH', { what: 'BN gamma', expected: beta.length, actual: gamma.length });
  if (clip && clip.length !== beta.length)
    throw quantError('LENGTH', { what: 'ReLU6 clip', expected: beta.length, actual: clip.length });
  return Float64Array.from({ length: beta.length }, (_, c) => {
    const mu = beta[c] as number;
    if (fn === 'linear') return mu;
    const hi = fn === 'relu6' ? (clip?.[c] ?? 6) : Infinity;
    return clippedNormalMean(mu, gamma[c] as number, 0, hi);
  });
}

/**
 * ε_o = Σ ΔW[…, i, o]·E[x_i]: the mean output shift per output channel caused by the kernel
 * error `delta` (= Ŵ − W) for inputs with per-input-channel mean `mean`. Conv kernels sum over
 * the kernel positions as if every tap saw the mean (zero padding at the borders is ignored, as
 * in the paper). Dense `mean` has one value per kernel row (see meanPerRow after a Flatten).
 * @example kernelTimesMean([0.1, 0, -0.2, 0.3], [2, 2], 'dense', [1, 2]) -> [-0.3, 0.6]
 */
export function kernelTimesMean(
  delta: ArrayLike<number>,
  shape: readonly number[],
  layout: KernelLayout,
  mean: ArrayLike<number>,
): Float64Array {
  const rank = layout === 'dense' ? 2 : 4;
  if (shape.length !== rank)
    throw quantError('SHAPE', { shape, expected: `a ${layout} kernel of rank ${rank}` });
  const inner = shape[rank - 1] as number;
  const inputs = shape[rank - 2] as number;
  const positions = shape.slice(0, rank - 2).reduce((a, b) => a * b, 1);
  if (delta.length !== positions * inputs * inner)
    throw quantError('LENGTH', {
      what: 'Kernel error',
      expected: positions * inputs * inner,
      actual: delta.length,
    });
  if (mean.length !== inputs)
    throw quantError('LENGTH', { what: 'Input mean', expected: inputs, actual: mean.length });
  const depthwise = layout === 'depthwiseConv2d';
  const out = new Float64Array(depthwise ? inputs * inner : inner);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < inputs; i++) {
      const m = mean[i] as number;
      const row = (p * inputs + i) * inner;
      const base = depthwise ? i * inner : 0;
      for (let j = 0; j < inner; j++)
        out[base + j] = (out[base + j] as number) + (delta[row + j] as number) * m;
    }
  }
  return out;
}

/**
 * Per-row means of a Dense input that is a flattened NHWC tensor: row r holds channel r % C.
 * @example meanPerRow([1, 2], 6) -> [1, 2, 1, 2, 1, 2]
 */
export function meanPerRow(channelMean: ArrayLike<number>, rows: number): Float64Array {
  const channels = channelMean.length;
  if (channels === 0 || rows % channels !== 0)
    throw quantError('LAYOUT', { length: rows, channels, inner: 1 });
  return Float64Array.from({ length: rows }, (_, r) => channelMean[r % channels] as number);
}
