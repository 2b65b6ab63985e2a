/**
 * Fake quantization with learnable scale and zero point for QAT (paper section 4), as one
 * tf.customGrad op: the forward of quant/lsq.ts in float32 tf ops, the backward of the
 * straight-through estimator with the LSQ scale and zero-point gradients (paper 4.1-4.2).
 *
 * The scale is learned in log space, s = s₀·exp(u), so it stays positive whatever the optimizer
 * does (tfjs-notes.md §3.4: plain SGD drove a raw scale negative): ∂L/∂u = s · ∂L/∂s. The
 * constant s₀ (default 1) lets u start at 0, where exp(0) = 1 makes s exactly the PTQ scale
 * in float32 (exp(log s) may miss it by an ulp and move values on a rounding boundary).
 * Parameters are per tensor (shape []) or per channel along the last axis (shape [C]); the
 * gradients are summed over the axes they broadcast on, so they have the parameters' shapes.
 * The forward rounds x·(1/s) half to even and adds ⌊z⌉ after rounding, like fakeQuantTensor, so
 * with the same float32 scale and an integer zero point the two agree element for element.
 */
import * as tf from '@tensorflow/tfjs';
import type { LearnableGrid } from '@/quant/lsq';
import { LSQ_FAKE_QUANT, LSQ_FAKE_QUANT_GRAD } from '../kernels/names';

/** Sum of `t` down to the shape of a per-tensor ([]) or per-last-axis ([C]) parameter. */
function reduceTo(t: tf.Tensor, param: tf.Tensor): tf.Tensor {
  if (param.rank === 0) return tf.sum(t);
  return tf.sum(t, [...Array(t.rank - 1).keys()]);
}

/**
 * The quantizer on the fused host kernels (kernels/cpu/LsqFakeQuant.ts): one pass each way.
 * Same forward bit for bit as the composition; gradients summed in float64.
 */
function learnableFakeQuantFused(
  x: tf.Tensor,
  logScale: tf.Tensor,
  zeroPoint: tf.Tensor,
  grid: LearnableGrid,
  baseScale: tf.Tensor | undefined,
  learnRange: boolean,
): tf.Tensor {
  const attrs = { qmin: grid.qmin, qmax: grid.qmax };
  const op = tf.customGrad((...args: (tf.Tensor | ((ts: tf.Tensor[]) => void))[]) => {
    const [xi, ls, z, s0, save] = args as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      (ts: tf.Tensor[]) => void,
    ];
    const s = tf.mul(s0, tf.exp(ls));
    const zi = tf.round(z);
    const value = tf
      .engine()
      .runKernel(LSQ_FAKE_QUANT, { x: xi, scale: s, zero: zi }, attrs) as tf.Tensor;
    save([xi, s, zi]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ss, szi] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const [dx, dlogS, dz] = tf
          .engine()
          .runKernel(
            LSQ_FAKE_QUANT_GRAD,
            { dy, x: sx, scale: ss, zero: szi },
            { ...attrs, learn: learnRange },
          ) as tf.Tensor[];
        return [
          dx as tf.Tensor,
          tf.reshape(dlogS as tf.Tensor, ls.shape),
          tf.reshape(dz as tf.Tensor, z.shape),
          tf.zerosLike(s0),
        ];
      },
    };
  });
  const s0 = baseScale ?? tf.onesLike(logScale);
  const y = op(x, logScale, zeroPoint, s0);
  if (!baseScale) s0.dispose();
  return y;
}

/**
 * x̂ of x for the parameters; differentiable in x, log-scale and zero point. Uses the fused
 * kernels where the backend has them (CPU, WASM), the tf-op composition elsewhere.
 */
export function learnableFakeQuant(
  x: tf.Tensor,
  logScale: tf.Tensor,
  zeroPoint: tf.Tensor,
  grid: LearnableGrid,
  baseScale?: tf.Tensor,
  /** false: the range is frozen, so its gradients are not computed (zeros). */
  learnRange = true,
): tf.Tensor {
  const impl = tf.getKernel(LSQ_FAKE_QUANT, tf.getBackend())
    ? learnableFakeQuantFused
    : learnableFakeQuantComposed;
  return impl(x, logScale, zeroPoint, grid, baseScale, learnRange);
}

/** The quantizer as a composition of TF.js ops (any backend; WebGPU uses it). */
export function learnableFakeQuantComposed(
  x: tf.Tensor,
  logScale: tf.Tensor,
  zeroPoint: tf.Tensor,
  grid: LearnableGrid,
  baseScale?: tf.Tensor,
  /** false: the range is frozen, so its gradients are not computed (zeros). */
  learnRange = true,
): tf.Tensor {
  const { qmin, qmax } = grid;
  const op = tf.customGrad((...args: (tf.Tensor | ((ts: tf.Tensor[]) => void))[]) => {
    const [xi, ls, z, s0, save] = args as [
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      tf.Tensor,
      (ts: tf.Tensor[]) => void,
    ];
    const s = tf.mul(s0, tf.exp(ls));
    const zi = tf.round(z);
    // clamp(r + ⌊z⌉; qmin, qmax) − ⌊z⌉ with clipByValue's constant bounds, not maximum/minimum
    // against the parameter-sized bounds: TF.js 4.22's WASM backend runs those (and equal, cast,
    // where) on a slow generic path, 6-13 ns per element against 0.2-0.4 ns for add, clip, abs
    // (measured on 800k elements). Exact: the operands are small integers.
    const r = tf.round(tf.mul(xi, tf.reciprocal(s)));
    const clamped = tf.sub(tf.clipByValue(tf.add(r, zi), qmin, qmax), zi);
    const value = tf.mul(clamped, s);
    save([xi, s, r, clamped, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ss, sr, sclamped, svalue] = saved as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        // ∂x̂/∂x = 1 inside (STE), 0 where clamped. r − clamped is 0 inside and a non-zero
        // integer outside, so min(|r − clamped|, 1) is the outside mask, exactly, on fast ops.
        const outside = tf.clipByValue(tf.abs(tf.sub(sr, sclamped)), 0, 1);
        const dyOutside = tf.mul(dy, outside);
        const dx = tf.sub(dy, dyOutside);
        if (!learnRange) return [dx, tf.zerosLike(ls), tf.zerosLike(z), tf.zerosLike(s0)];
        // ∂x̂/∂s is ⌊x/s⌉ − x/s inside and qmin − ⌊z⌉ or qmax − ⌊z⌉ outside: in both cases
        // x̂/s − 1_inside·x/s. So ∂L/∂log s = s·Σ dy·∂x̂/∂s = Σ (dy·x̂ − dx·x): a few elementwise
        // ops over the big tensor instead of a where-tree (QAT step time, npm run bench).
        const dlogS = reduceTo(tf.sub(tf.mul(dy, svalue), tf.mul(dx, sx)), ls);
        // ∂x̂/∂z = 0 inside, −s outside: ∂L/∂z = −s·Σ dy·1_outside (one reduction, not two).
        const dz = tf.mul(tf.neg(ss), reduceTo(dyOutside, z));
        return [dx, tf.reshape(dlogS, ls.shape), tf.reshape(dz, z.shape), tf.zerosLike(s0)];
      },
    };
  });
  const s0 = baseScale ?? tf.onesLike(logScale);
  const y = op(x, logScale, zeroPoint, s0);
  if (!baseScale) s0.dispose();
  return y;
}
