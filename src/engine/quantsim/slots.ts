/**
 * Which quantizer sits at each slot of a (folded) model: the global weight and activation
 * choices of the config, replaced by per-layer overrides (by node name or Keras layer name),
 * turned into the pure quantizer specs of src/quant. Ranges that cannot apply to a slot (BN
 * ranges for weights, cross-entropy away from the softmax input) fall back with a warning.
 */
import type { QuantChoice, QuantSlotChoice } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import { slotChoice, toQuantizerSpec } from '@/config/slotSpec';
import type { QuantizerSpec } from '@/quant/types';
import type { IrNode, ModelIR } from '../model/ir';
import { activationQuantizers, weightQuantizers } from './placement';

export interface Slot {
  node: string;
  layer: string;
  /** The choice as configured (for display), or 'fp32'. */
  choice: QuantSlotChoice;
  /** null when the slot stays in float. */
  spec: QuantizerSpec | null;
}

export interface SlotPlan {
  weights: Slot[];
  activations: Slot[];
  warnings: string[];
}

export { toQuantizerSpec };

/** The node that feeds a final softmax, where cross-entropy range setting applies (paper 3.1). */
export function softmaxInput(ir: ModelIR): string | null {
  for (const name of ir.outputs) {
    const node = ir.nodes.find((n) => n.name === name);
    if (node?.type === 'activation' && node.config.fn === 'softmax') return node.inputs[0] ?? null;
  }
  return null;
}

export function planSlots(
  ir: ModelIR,
  config: ExperimentConfig,
  bnNodes: ReadonlySet<string>,
): SlotPlan {
  const warnings: string[] = [];
  const byName = new Map<string, IrNode>(ir.nodes.map((n) => [n.name, n]));
  const ceNode = softmaxInput(ir);

  const slot = (name: string, kind: 'weights' | 'activations'): Slot => {
    const node = byName.get(name) as IrNode;
    const choice = slotChoice(config, { node: node.name, layer: node.layer }, kind);
    if (choice === 'fp32') return { node: name, layer: node.layer, choice, spec: null };
    let effective = choice;
    const fallBack = (to: QuantChoice['range'], why: string) => {
      warnings.push(`${name} ${kind}: ${why}; used ${to} instead.`);
      effective = { ...choice, range: to };
    };
    if (kind === 'weights' && (choice.range === 'bn' || choice.range === 'cross-entropy')) {
      fallBack('min-max', `range ${choice.range} applies to activations only`);
    } else if (kind === 'activations' && choice.range === 'cross-entropy' && name !== ceNode) {
      fallBack('mse', 'cross-entropy range setting applies only to the layer feeding the softmax');
    } else if (kind === 'activations' && choice.range === 'bn' && !bnNodes.has(name)) {
      fallBack(
        'min-max',
        'no batch norm was folded into this layer, so BN-based ranges are unavailable',
      );
    } else if (choice.range === 'cross-entropy' && choice.granularity === 'per-channel') {
      fallBack('mse', 'cross-entropy range setting is per-tensor only');
    }
    return { node: name, layer: node.layer, choice, spec: toQuantizerSpec(effective) };
  };

  return {
    weights: weightQuantizers(ir).map((w) => slot(w.node, 'weights')),
    activations: activationQuantizers(ir).map((n) => slot(n, 'activations')),
    warnings,
  };
}
