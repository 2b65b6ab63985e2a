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

/** Sum of `t` down to the shape of a per-tensor ([]) or per-last-axis ([C]) parameter. */
function reduceTo(t: tf.Tensor, param: tf.Tensor): tf.Tensor {
  if (param.rank === 0) return tf.sum(t);
  return tf.sum(t, [...Array(t.rank - 1).keys()]);
}

export function learnableFakeQuant(
  x: tf.Tensor,
  logScale: tf.Tensor,
  zeroPoint: tf.Tensor,
  grid: LearnableGrid,
  baseScale?: tf.Tensor,
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
    const r = tf.round(tf.mul(xi, tf.reciprocal(s)));
    const code = tf.add(r, zi);
    const value = tf.mul(tf.sub(tf.clipByValue(code, qmin, qmax), zi), s);
    save([xi, s, r, code, zi]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ss, sr, scode, szi] = saved as [
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
          tf.Tensor,
        ];
        const below = tf.less(scode, qmin);
        const above = tf.greater(scode, qmax);
        const inside = tf.logicalNot(tf.logicalOr(below, above));
        const zeros = tf.zerosLike(dy);
        // ∂x̂/∂x = 1 inside (STE), 0 where clamped.
        const dx = tf.where(inside, dy, zeros);
        // ∂x̂/∂s = ⌊x/s⌉ − x/s inside, qmin − ⌊z⌉ below, qmax − ⌊z⌉ above.
        const gs = tf.where(
          inside,
          tf.sub(sr, tf.div(sx, ss)),
          tf.where(below, tf.sub(tf.scalar(qmin), szi), tf.sub(tf.scalar(qmax), szi)),
        );
        const dlogS = tf.mul(reduceTo(tf.mul(dy, gs), ls), ss);
        // ∂x̂/∂z = 0 inside, −s outside.
        const gz = tf.where(inside, zeros, tf.mul(tf.onesLike(dy), tf.neg(ss)));
        const dz = reduceTo(tf.mul(dy, gz), z);
        return [dx, tf.reshape(dlogS, ls.shape), tf.reshape(dz, z.shape), tf.zerosLike(s0)];
      },
    };
  });
  const s0 = baseScale ?? tf.onesLike(logScale);
  const y = op(x, logScale, zeroPoint, s0);
  if (!baseScale) s0.dispose();
  return y;
}
