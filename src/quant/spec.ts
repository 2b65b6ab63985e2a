/**
 * Quantizer specs: defaults and the paper's recommended settings (Sec. 3.5, Fig. 8: symmetric
 * weights, asymmetric activations, MSE range setting).
 */
import { resolveGrid } from './grid';
import type { QuantizerSpec } from './types';

/** A spec with every default filled in. */
export type FullSpec = Required<QuantizerSpec>;

/** Defaults: asymmetric unsigned / symmetric signed grid, full range, per-tensor, min-max, nearest. */
export function normalizeSpec(spec: QuantizerSpec): FullSpec {
  const grid = resolveGrid(spec);
  return {
    bits: grid.bits,
    scheme: grid.scheme,
    signed: grid.signed,
    narrowRange: grid.narrowRange,
    granularity: spec.granularity ?? 'per-tensor',
    range: spec.range ?? { method: 'min-max' },
    rounding: spec.rounding ?? 'nearest',
  };
}

/** The paper's PTQ recommendation for weights (Sec. 3.5): symmetric, per-channel, MSE. */
export const PAPER_WEIGHT_SPEC: FullSpec = {
  bits: 8,
  scheme: 'symmetric',
  signed: true,
  narrowRange: false,
  granularity: 'per-channel',
  range: { method: 'mse' },
  rounding: 'nearest',
};

/** The paper's PTQ recommendation for activations (Sec. 3.5): asymmetric, per-tensor, MSE. */
export const PAPER_ACTIVATION_SPEC: FullSpec = {
  ...PAPER_WEIGHT_SPEC,
  scheme: 'asymmetric',
  signed: false,
  granularity: 'per-tensor',
};
