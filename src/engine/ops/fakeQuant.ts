/**
 * Fake quantization of a tensor with fixed encodings, as tf ops (paper §1.6, eq. for x̂):
 * x̂ = s · (clamp(round(x · 1/s) + z, qmin, qmax) − z). Written as torch does it, multiply by a
 * float32 reciprocal, round half to even (tf.round), add the zero point after rounding
 * (tfjs-notes.md §2.1), so it matches quant/affine.ts fakeQuant element for element.
 * Since z is an integer, clamp(r + z, qmin, qmax) − z = clamp(r, qmin − z, qmax − z): four ops
 * instead of six, exactly (small integers are exact in float32).
 * Per-channel encodings broadcast along the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import { roundHalfEven } from '@/quant/rounding';
import type { Encodings } from '@/quant/types';
import type { FusibleActivation } from '../quantsim/ops';

/**
 * With `fused`, x is taken before a ReLU (or ReLU6) that the clamp applies instead (paper
 * 2.3.2): the lower code bound becomes max(qmin − z, 0) and, for ReLU6, the upper one
 * min(qmax − z, ⌊fl(6·(1/s))⌉). Exact: rounding fl(x·(1/s)) is monotone in x, so every x ≤ 0
 * lands on the code of 0 and every x ≥ 6 on the code of 6, as after the activation (a value
 * that rounds to −0 stays −0, which compares equal to the activation's +0).
 */
export function fakeQuantTensor(
  x: tf.Tensor,
  enc: Encodings,
  fused?: FusibleActivation,
): tf.Tensor {
  return tf.tidy(() => {
    const inv = Float32Array.from(enc.scale, (s) => 1 / s);
    const bounds = (z: number, c: number) => {
      let lo = enc.qmin - z;
      let hi = enc.qmax - z;
      if (fused) lo = Math.max(lo, 0);
      if (fused === 'relu6') hi = Math.min(hi, roundHalfEven(Math.fround(6 * (inv[c] ?? 1))));
      return [lo, hi] as const;
    };
    const r = tf.round(tf.mul(x, enc.scale.length > 1 ? tf.tensor1d(inv) : tf.scalar(inv[0] ?? 1)));
    if (enc.scale.length === 1) {
      const [lo, hi] = bounds(enc.zeroPoint[0] ?? 0, 0);
      return tf.mul(tf.clipByValue(r, lo, hi), tf.scalar(enc.scale[0] ?? 1));
    }
    const b = Array.from(enc.zeroPoint, (z, c) => bounds(z, c));
    const lo = tf.tensor1d(b.map(([l]) => l));
    const hi = tf.tensor1d(b.map(([, h]) => h));
    return tf.mul(tf.minimum(tf.maximum(r, lo), hi), tf.tensor1d(enc.scale));
  });
}

/**
 * Integer codes clamp(round(x · 1/s) + z, qmin, qmax) as int32, per tensor (the integer path's
 * input quantizer, paper Eq. 4): the same float32 steps as fakeQuantTensor, so the two agree.
 */
export function quantizeToCodes(x: tf.Tensor, enc: Encodings): tf.Tensor {
  return tf.tidy(() => {
    const z = enc.zeroPoint[0] ?? 0;
    const r = tf.round(tf.mul(x, tf.scalar(1 / (enc.scale[0] ?? 1))));
    return tf.cast(tf.add(tf.clipByValue(r, enc.qmin - z, enc.qmax - z), tf.scalar(z)), 'int32');
  });
}

/** Eq. 6 per tensor: s · (q − z) in float32 for int32 codes. */
export function dequantizeCodes(codes: tf.Tensor, enc: Encodings): tf.Tensor {
  return tf.tidy(() =>
    tf.mul(
      tf.sub(tf.cast(codes, 'float32'), tf.scalar(enc.zeroPoint[0] ?? 0)),
      tf.scalar(enc.scale[0] ?? 1),
    ),
  );
}
