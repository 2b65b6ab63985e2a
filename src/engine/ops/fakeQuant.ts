/**
 * Fake quantization of a tensor with fixed encodings, as tf ops (paper §1.6, eq. for x̂):
 * x̂ = s · (clamp(round(x · 1/s) + z, qmin, qmax) − z). Written as torch does it, multiply by a
 * float32 reciprocal, round half to even (tf.round), add the zero point after rounding
 * (tfjs-notes.md §2.1), so it matches quant/affine.ts fakeQuant element for element.
 * Per-channel encodings broadcast along the last axis.
 */
import * as tf from '@tensorflow/tfjs';
import type { Encodings } from '@/quant/types';

export function fakeQuantTensor(x: tf.Tensor, enc: Encodings): tf.Tensor {
  return tf.tidy(() => {
    const perChannel = enc.scale.length > 1;
    const inv = Float32Array.from(enc.scale, (s) => 1 / s);
    const zp = Float32Array.from(enc.zeroPoint);
    const asTensor = (v: Float32Array) => (perChannel ? tf.tensor1d(v) : tf.scalar(v[0] ?? 0));
    const scale = asTensor(enc.scale);
    const zero = asTensor(zp);
    const q = tf.clipByValue(tf.add(tf.round(tf.mul(x, asTensor(inv))), zero), enc.qmin, enc.qmax);
    return tf.mul(tf.sub(q, zero), scale);
  });
}
