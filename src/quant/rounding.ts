/**
 * Rounding functions ⌊·⌉ for the quantizer (paper Eq. 4). `nearest` rounds ties to even, as
 * torch's fake_quantize / quantize_per_tensor do with std::nearbyint, so results match torch.
 */
import { mulberry32 } from './random';
import type { RoundingMode } from './types';

/** Maps a real value (already divided by the scale) to an integer-valued number. */
export type Rounder = (v: number) => number;

/**
 * Round half to even (banker's rounding), the IEEE default that nearbyint uses.
 * Math.round rounds ties up, so a tie that landed on an odd integer is moved down by one.
 * @example roundHalfEven(2.5) === 2; roundHalfEven(3.5) === 4; roundHalfEven(-2.5) === -2
 */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Round half away from zero (C `round`, numpy does not use it); kept for comparisons. */
export function roundHalfAway(v: number): number {
  return v < 0 ? -Math.round(-v) : Math.round(v);
}

/**
 * Stochastic rounding: up with probability equal to the fraction, so it is unbiased in
 * expectation (used in paper Sec. 3.4's AdaRound motivation). Seeded for reproducibility.
 * @example stochasticRounder(1)(2.25) is 2 or 3; the mean over many calls is ~2.25
 */
export function stochasticRounder(seed: number): Rounder {
  const rng = mulberry32(seed);
  return (v) => Math.floor(v + rng());
}

/** The rounder for a mode; `seed` only matters for `stochastic`. */
export function rounderFor(mode: RoundingMode, seed = 0): Rounder {
  switch (mode) {
    case 'nearest':
      return roundHalfEven;
    case 'floor':
      return Math.floor;
    case 'stochastic':
      return stochasticRounder(seed);
  }
}
