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
