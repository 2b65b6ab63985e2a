/**
 * The pure math of AdaRound (paper 3.4, shared/paper.md 2.5): the rectified sigmoid h(V), its
 * initialisation from the fractional part of w/s, the rounding regularizer f_reg (Eq. 34), the
 * β schedule, and the final hard rounding. The constants are AIMET's (`AdaroundConstants`); the
 * paper does not give them. The optimisation itself runs in TF.js (engine/ptq/adaround.ts).
 */
import { spans } from './granularity';
import type { Encodings } from './types';

const f32 = Math.fround;

/** AIMET's defaults: ζ, γ of the rectified sigmoid, λ, β from 20 to 2, 20% warm start. */
export const ADAROUND = {
  zeta: 1.1,
  gamma: -0.1,
  regularization: 0.01,
  betaRange: [20, 2] as const,
  warmStart: 0.2,
} as const;

/**
 * h(V) = clip(σ(V)(ζ − γ) + γ, 0, 1) (rectified sigmoid, Louizos et al. 2018): reaches 0 and 1
 * exactly at finite V, so the regularizer can push every weight to a hard decision.
 * @example rectifiedSigmoid(0) === 0.5 (σ(0)·1.2 − 0.1); rectifiedSigmoid(10) === 1 (clipped)
 */
export function rectifiedSigmoid(v: number): number {
  const { zeta, gamma } = ADAROUND;
  const h = (1 / (1 + Math.exp(-v))) * (zeta - gamma) + gamma;
  return h < 0 ? 0 : h > 1 ? 1 : h;
}

/**
 * The V with h(V) = rest, for rest = w/s − ⌊w/s⌋ in [0, 1) (AIMET's initialisation): at the
 * start W̃ equals W inside the grid, and the loss starts at the FP output.
 * V = −ln((ζ − γ)/(rest − γ) − 1).
 * @example initialV(0.25) = −ln(1.2/0.35 − 1) = −0.8873; rectifiedSigmoid(−0.8873) = 0.25
 */
export function initialV(rest: number): number {
  const { zeta, gamma } = ADAROUND;
  return -Math.log((zeta - gamma) / (rest - gamma) - 1);
}

/**
 * f_reg(V) = Σ 1 − |2h(V) − 1|^β (paper Eq. 34), given h: 1 at h = 0.5, 0 at h ∈ {0, 1}.
 * @example roundingRegularizer([0, 0.5, 1, 0.75], 2) === 0 + 1 + 0 + 0.75
 */
export function roundingRegularizer(h: ArrayLike<number>, beta: number): number {
  let sum = 0;
  for (let i = 0; i < h.length; i++) sum += 1 - Math.abs(2 * (h[i] as number) - 1) ** beta;
  return sum;
}

export interface BetaScheduleOptions {
  /** [β_start, β_end]; default [20, 2]. */
  readonly betaRange?: readonly [number, number];
  /** Fraction of the iterations with zero rounding loss; default 0.2. */
  readonly warmStart?: number;
}

/**
 * β at iteration `it` of `iterations` (0-based) and whether the rounding loss is on (AIMET):
 * off during the first warmStart·iterations, then cosine decay
 * β = β_end + ½(β_start − β_end)(1 + cos(π·t)), t = (it − w·T)/(T − w·T).
 * A high β flattens f_reg away from h = 0.5 (h moves freely); a low β pushes h to 0 or 1.
 * @example betaAt(60, 100) -> { beta: 11, active: true } (t = 0.5, cos = 0: 2 + 9)
 */
export function betaAt(
  it: number,
  iterations: number,
  options: BetaScheduleOptions = {},
): { beta: number; active: boolean } {
  const [start, end] = options.betaRange ?? ADAROUND.betaRange;
  const warm = (options.warmStart ?? ADAROUND.warmStart) * iterations;
  if (it < warm) return { beta: start, active: false };
  const t = iterations > warm ? (it - warm) / (iterations - warm) : 1;
  return { beta: end + 0.5 * (start - end) * (1 + Math.cos(Math.PI * t)), active: true };
}

/** Per-element grid parameters of a kernel, and its split w/s = ⌊w/s⌋ + rest. */
export interface AdaRoundGrid {
  /** ⌊w/s⌋ + z per element: the code that rounding down gives (before clamping). */
  readonly base: Float32Array;
  /** w/s − ⌊w/s⌋ in [0, 1): h(V)'s initial value. */
  readonly rest: Float32Array;
  /** s and z of each element's channel. */
  readonly scale: Float32Array;
  readonly zeroPoint: Float32Array;
  readonly qmin: number;
  readonly qmax: number;
}

/**
 * Splits a kernel for AdaRound on its grid (per tensor or per channel, channel of element i as
 * in `spans`). w/s is computed as affine.ts does, f32(w·f32(1/s)), so ⌊w/s⌋ and ⌊w/s⌋ + 1
 * always include the round-to-nearest code.
 * @example w = 0.7, s = 0.25, z = 1 -> w/s = 2.8: base 2 + 1 = 3, rest 0.8 (up to f32)
 */
export function adaroundGrid(w: Float32Array, enc: Encodings): AdaRoundGrid {
  const { outer, channels, inner } = spans(w.length, enc.layout);
  const n = w.length;
  const base = new Float32Array(n);
  const rest = new Float32Array(n);
  const scale = new Float32Array(n);
  const zeroPoint = new Float32Array(n);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const s = enc.scale[c] as number;
      const inv = f32(1 / s);
      const z = enc.zeroPoint[c] as number;
      for (let k = 0; k < inner; k++, i++) {
        const a = f32((w[i] as number) * inv);
        const fl = Math.floor(a);
        base[i] = fl + z;
        rest[i] = a - fl;
        scale[i] = s;
        zeroPoint[i] = z;
      }
    }
  }
  return { base, rest, scale, zeroPoint, qmin: enc.qmin, qmax: enc.qmax };
}

/**
 * Hard rounding at the end of the optimisation: up where h ≥ 0.5 (AIMET), on the grid:
 * q = clamp(⌊w/s⌋ + [h ≥ 0.5] + z, qmin, qmax).
 * @example base 3 (⌊2.8⌋ + 1), h = 0.3 -> 3; h = 0.5 -> 4
 */
export function hardCodes(grid: AdaRoundGrid, h: ArrayLike<number>): Int32Array {
  const { base, qmin, qmax } = grid;
  const out = new Int32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const q = (base[i] as number) + ((h[i] as number) >= 0.5 ? 1 : 0);
    out[i] = q < qmin ? qmin : q > qmax ? qmax : q;
  }
  return out;
}

/**
 * Soft-quantized weight W̃ = s·(clamp(⌊w/s⌋ + h + z, qmin, qmax) − z) (paper Eq. 33 with the
 * zero point of an asymmetric grid), one element; the TF.js loss computes the same on tensors.
 * @example s = 0.25, z = 1, base 3, h = 0.8 -> 0.25·(3.8 − 1) = 0.7 (= w: W̃ starts at W)
 */
export function softWeight(grid: AdaRoundGrid, i: number, h: number): number {
  const q = Math.min(grid.qmax, Math.max(grid.qmin, (grid.base[i] as number) + h));
  return (q - (grid.zeroPoint[i] as number)) * (grid.scale[i] as number);
}
