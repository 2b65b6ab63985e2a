/**
 * From the config to one slot's quantizer spec: the per-layer override (by IR node name, then
 * by Keras layer name) or the global choice, as a pure src/quant spec. Shared by the engine's
 * slot plan (engine/quantsim/slots.ts) and the UI, which re-resolves a layer's weight encoding
 * on every slider step without asking the worker.
 */
import type { QuantizerSpec, RangeMethod } from '@/quant/types';
import type { QuantChoice, QuantSlotChoice } from './quantChoice';
import type { ExperimentConfig } from './schema';

export type SlotKind = 'weights' | 'activations';

function rangeOf(c: QuantChoice): RangeMethod {
  switch (c.range) {
    case 'percentile':
      return { method: 'percentile', percentile: c.percentile };
    case 'min-max':
    case 'moving-average':
    case 'mse':
    case 'cross-entropy':
    case 'bn':
      return { method: c.range };
  }
}

/** @example toQuantizerSpec(DEFAULT_WEIGHTS) -> { bits: 8, scheme: 'symmetric', granularity: 'per-channel', narrowRange: false, range: { method: 'min-max' } } */
export function toQuantizerSpec(c: QuantChoice): QuantizerSpec {
  return {
    bits: c.bits,
    scheme: c.scheme,
    granularity: c.granularity,
    narrowRange: c.narrowRange,
    range: rangeOf(c),
  };
}

/** The choice configured for a slot: its override, else the global one. */
export function slotChoice(
  config: Pick<ExperimentConfig, 'weights' | 'activations' | 'overrides'>,
  at: { node: string; layer: string },
  kind: SlotKind,
): QuantSlotChoice {
  return config.overrides[at.node]?.[kind] ?? config.overrides[at.layer]?.[kind] ?? config[kind];
}

/**
 * A weight slot's spec, or null for FP32. BN and cross-entropy ranges apply to activations only
 * (paper 3.1), so weights fall back to min-max, as the engine's plan does (with its warning).
 */
export function weightSpec(choice: QuantSlotChoice): QuantizerSpec | null {
  if (choice === 'fp32') return null;
  const dataFree = choice.range === 'bn' || choice.range === 'cross-entropy';
  return toQuantizerSpec(dataFree ? { ...choice, range: 'min-max' } : choice);
}
