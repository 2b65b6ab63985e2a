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
import type { Encodings } from '@/quant/types';

export function fakeQuantTensor(x: tf.Tensor, enc: Encodings): tf.Tensor {
  return tf.tidy(() => {
    const inv = Float32Array.from(enc.scale, (s) => 1 / s);
    const r = tf.round(tf.mul(x, enc.scale.length > 1 ? tf.tensor1d(inv) : tf.scalar(inv[0] ?? 1)));
    if (enc.scale.length === 1) {
      const z = enc.zeroPoint[0] ?? 0;
      return tf.mul(tf.clipByValue(r, enc.qmin - z, enc.qmax - z), tf.scalar(enc.scale[0] ?? 1));
    }
    const lo = tf.tensor1d(Float32Array.from(enc.zeroPoint, (z) => enc.qmin - z));
    const hi = tf.tensor1d(Float32Array.from(enc.zeroPoint, (z) => enc.qmax - z));
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
