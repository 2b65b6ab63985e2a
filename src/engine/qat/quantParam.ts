/**
 * One quantizer of the QAT model (paper 4.1-4.2): its scale as log s and its zero point as a
 * real number, learnable or frozen, initialised from a PTQ encoding (paper 4.3: range
 * initialisation by min-max or MSE). Per channel the channel is the last axis; a kernel is seen
 * as [-1, C] since every layout in ir.ts puts the output channel of element i at i % C.
 */
import * as tf from '@tensorflow/tfjs';
import { makeEncoding, packEncodings } from '@/quant/encodings';
import { roundHalfEven } from '@/quant/rounding';
import type { Encodings } from '@/quant/types';
import { learnableFakeQuant } from '../ops/learnableFakeQuant';

export interface QuantParam {
  readonly base: Encodings;
  /** u of s = s₀·exp(u): 0 at the PTQ initialisation. */
  readonly logScale: tf.Variable;
  /** Real-valued zero point; frozen at 0 for symmetric grids. */
  readonly zeroPoint: tf.Variable;
  /** Whether the optimizer updates logScale (and, asymmetric, zeroPoint). */
  readonly learnable: boolean;
  /** Fake-quantizes `x` (a kernel of any layout, or an activation with channels last). */
  apply(x: tf.Tensor): tf.Tensor;
  trainable(): tf.Variable[];
  /** The current encodings: s = s₀·exp(u) as the op computes it, z = ⌊z⌉ clamped to the grid. */
  encodings(): Promise<Encodings>;
  dispose(): void;
}

let counter = 0;

/**
 * A variable from `init`, named `name` plus a process-wide counter (TF.js refuses a second
 * variable of the same name, e.g. two QAT models alive at once). tf.variable shares the initial
 * tensor's data but not its handle, so the handle is freed.
 */
export function variableOf(init: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const v = tf.variable(init, trainable, `${name.replace(/[^\w]/g, '_')}_${counter++}`);
  init.dispose();
  return v;
}

export function createQuantParam(base: Encodings, learn: boolean, name: string): QuantParam {
  // Power-of-two scales (paper 2.2.2) must stay powers of two: they are not learned here.
  const learnable = learn && base.scheme !== 'power-of-two';
  const channels = base.scale.length;
  const shape = base.granularity === 'per-channel' ? [channels] : [];
  const scale0 = tf.tensor(base.scale, shape);
  const logScale = variableOf(tf.zeros(shape), learnable, `qat_logscale_${name}`);
  const zeroPoint = variableOf(
    tf.tensor(Float32Array.from(base.zeroPoint), shape),
    learnable && !base.isSymmetric,
    `qat_zero_${name}`,
  );
  const grid = { qmin: base.qmin, qmax: base.qmax };
  return {
    base,
    logScale,
    zeroPoint,
    learnable,
    apply(x) {
      if (shape.length === 0)
        return learnableFakeQuant(x, logScale, zeroPoint, grid, scale0, learnable);
      const flat = tf.reshape(x, [-1, channels]);
      return tf.reshape(
        learnableFakeQuant(flat, logScale, zeroPoint, grid, scale0, learnable),
        x.shape,
      );
    },
    trainable: () => (!learnable ? [] : base.isSymmetric ? [logScale] : [logScale, zeroPoint]),
    async encodings() {
      const s = tf.tidy(() => tf.mul(scale0, tf.exp(logScale)));
      const [scales, zeros] = await Promise.all([s.data(), zeroPoint.data()]);
      s.dispose();
      const grid = {
        bits: base.bitwidth,
        scheme: base.scheme,
        signed: base.signed,
        narrowRange: base.narrowRange,
        qmin: base.qmin,
        qmax: base.qmax,
      };
      const per = Array.from(scales, (sc, c) => {
        const z = Math.min(base.qmax, Math.max(base.qmin, roundHalfEven(zeros[c] ?? 0)));
        return makeEncoding(grid, sc, base.isSymmetric ? 0 : z);
      });
      return packEncodings(grid, per, base.layout);
    },
    dispose: () => tf.dispose([logScale, zeroPoint, scale0]),
  };
}
