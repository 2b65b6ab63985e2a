/**
 * The learnable quantizer of QAT (paper section 4, shared/paper.md 3.1-3.2) on plain numbers:
 * the reference the TF.js op (engine/ops/learnableFakeQuant.ts) is tested against.
 *
 * Forward, with a real-valued zero point rounded inside the quantizer (paper 3.2):
 *   x̂ = s · [clamp(⌊x/s⌉ + ⌊z⌉; qmin, qmax) − ⌊z⌉]
 * Backward with the straight-through estimator ∂⌊y⌉/∂y = 1 (paper 3.1), "inside" meaning the
 * unclamped code ⌊x/s⌉ + ⌊z⌉ lies in [qmin, qmax]:
 *   ∂x̂/∂x = 1 inside, 0 outside
 *   ∂x̂/∂s = ⌊x/s⌉ − x/s inside, qmin − ⌊z⌉ below, qmax − ⌊z⌉ above
 *   ∂x̂/∂z = 0 inside, −s outside
 * (with z = 0 the outside scale gradients are the paper's n = qmin and p = qmax). LSQ's gradient
 * scale 1/√(N·Q_p) is not in the paper and not applied here; Adam makes it unnecessary (4.4).
 *
 * @example s = 0.1, z = 0, 4-bit signed grid [-8, 7], x = 0.26: x̂ = 0.3 (code 3), ∂x̂/∂x = 1,
 *   ∂x̂/∂s = 3 − 2.6 = 0.4, ∂x̂/∂z = 0; x = 2.5: x̂ = 0.7, ∂x̂/∂x = 0, ∂x̂/∂s = 7, ∂x̂/∂z = −0.1.
 */
import { roundHalfEven } from './rounding';

export interface LearnableGrid {
  readonly qmin: number;
  readonly qmax: number;
}

export interface LsqGrads {
  dx: number;
  ds: number;
  dz: number;
}

export function lsqFakeQuant(x: number, s: number, z: number, g: LearnableGrid): number {
  const zi = roundHalfEven(z);
  const code = roundHalfEven(x / s) + zi;
  return s * (Math.min(g.qmax, Math.max(g.qmin, code)) - zi);
}

export function lsqGrads(x: number, s: number, z: number, g: LearnableGrid): LsqGrads {
  const zi = roundHalfEven(z);
  const r = roundHalfEven(x / s);
  const code = r + zi;
  if (code < g.qmin) return { dx: 0, ds: g.qmin - zi, dz: -s };
  if (code > g.qmax) return { dx: 0, ds: g.qmax - zi, dz: -s };
  return { dx: 1, ds: r - x / s, dz: 0 };
}

const f32 = Math.fround;
/** 1.5·2^23: adding and subtracting it in float32 rounds ties to even (|v| < 2^22). */
const MAGIC = 12582912;

/** Round half to even of a float32 value, fast on the hot path (same as roundHalfEven). */
function roundF32(v: number): number {
  return v < 4194304 && v > -4194304 ? f32(f32(v + MAGIC) - MAGIC) : roundHalfEven(v);
}

/**
 * The quantizer over a whole tensor in float32 arithmetic, as the fused QAT kernels run it on
 * the host backends: element i uses parameter i % C (C = scale.length; 1 per tensor), the
 * code is ⌊fl(x·fl(1/s))⌉ (ties to even) clamped to [qmin − ⌊z⌉, qmax − ⌊z⌉], times s. This is
 * bit for bit the composition of TF.js ops in engine/ops/learnableFakeQuant.ts.
 * `zero` holds ⌊z⌉ (already rounded). Loops run row by row so the hot loop has no modulo.
 */
export function lsqForwardLoop(
  x: Float32Array,
  scale: Float32Array,
  zero: Float32Array,
  g: LearnableGrid,
  out: Float32Array,
): void {
  const C = scale.length;
  const inv = Float32Array.from(scale, (s) => f32(1 / s));
  const lo = Float32Array.from(zero, (z) => g.qmin - z);
  const hi = Float32Array.from(zero, (z) => g.qmax - z);
  for (let base = 0; base < x.length; base += C) {
    for (let c = 0; c < C; c++) {
      const i = base + c;
      const r = roundF32(f32((x[i] as number) * (inv[c] as number)));
      const q =
        r < (lo[c] as number) ? (lo[c] as number) : r > (hi[c] as number) ? (hi[c] as number) : r;
      out[i] = f32(q * (scale[c] as number));
    }
  }
}

/**
 * The STE / LSQ backward over a whole tensor (see the file comment): dx = dy·1_inside, and per
 * parameter ∂L/∂u = Σ (dy·x̂ − dx·x) (u = log s, so this is s·∂L/∂s) and ∂L/∂z = −s·Σ (dy − dx),
 * summed in float64. `learn` false leaves dlogS and dz at 0.
 */
export function lsqBackwardLoop(
  dy: Float32Array,
  x: Float32Array,
  scale: Float32Array,
  zero: Float32Array,
  g: LearnableGrid,
  learn: boolean,
  out: { dx: Float32Array; dlogS: Float32Array; dz: Float32Array },
): void {
  const C = scale.length;
  const inv = Float32Array.from(scale, (s) => f32(1 / s));
  const lo = Float32Array.from(zero, (z) => g.qmin - z);
  const hi = Float32Array.from(zero, (z) => g.qmax - z);
  const sumU = new Float64Array(C);
  const sumOut = new Float64Array(C);
  const { dx } = out;
  for (let base = 0; base < x.length; base += C) {
    for (let c = 0; c < C; c++) {
      const i = base + c;
      const xi = x[i] as number;
      const d = dy[i] as number;
      const r = roundF32(f32(xi * (inv[c] as number)));
      const l = lo[c] as number;
      const h = hi[c] as number;
      if (r >= l && r <= h) {
        dx[i] = d;
        if (learn) sumU[c] = (sumU[c] as number) + d * (f32(r * (scale[c] as number)) - xi);
      } else {
        dx[i] = 0;
        if (learn) {
          sumU[c] = (sumU[c] as number) + d * f32((r < l ? l : h) * (scale[c] as number));
          sumOut[c] = (sumOut[c] as number) + d;
        }
      }
    }
  }
  for (let c = 0; c < C; c++) {
    out.dlogS[c] = learn ? (sumU[c] as number) : 0;
    out.dz[c] = learn ? -(scale[c] as number) * (sumOut[c] as number) : 0;
  }
}
