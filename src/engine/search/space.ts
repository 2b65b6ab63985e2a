/**
 * The search space of one model under one config: a knob per quantized weight slot and per
 * quantized activation slot (slots kept in FP32 by the config stay out), the MAC layers the
 * cost model reads, and the way back from an assignment of bits to a config with per-layer
 * overrides (so every evaluated point has its own share link).
 */
import { DEFAULT_CONFIG } from '@/config/defaults';
import { formatQuantChoice, type QuantSlotChoice } from '@/config/quantChoice';
import type { ExperimentConfig, LayerOverride } from '@/config/schema';
import { slotChoice } from '@/config/slotSpec';
import { type BitWidths, configCost, type CostLayer } from '@/quant/bitCost';
import type { Assignment, Knob, SlotKind } from '@/quant/mixedSearch';
import { isWeighted, type IrNode, type ModelIR, nodeByName } from '../model/ir';
import { nodeCost } from '../model/macs';
import type { SearchCost } from '../searchEvents';
import type { SlotPlan } from '../quantsim/slots';

export interface SearchSlot {
  kind: SlotKind;
  node: string;
  layer: string;
}

export interface SearchSpace {
  knobs: Knob[];
  layers: CostLayer[];
  slots: Map<string, SearchSlot>;
}

export const knobId = (kind: SlotKind, node: string) => `${kind === 'weights' ? 'w' : 'a'}:${node}`;

/** The config the search runs around: PTQ steps off (the search rounds to nearest). */
export function searchBase(config: ExperimentConfig): ExperimentConfig {
  return { ...config, ptq: { ...DEFAULT_CONFIG.ptq } };
}

/** Products summed per output: the kernel's all-but-last dims (depthwise: kh·kw). */
function fanIn(node: IrNode): number {
  const shape = node.weights.kernel?.shape ?? [];
  const dims = node.type === 'depthwiseConv2d' ? shape.slice(0, 2) : shape.slice(0, -1);
  return dims.reduce((a, b) => a * b, 1);
}

/** The quantized activation slot whose codes a node reads (through max pool, flatten, ...). */
function inputSlot(
  ir: ModelIR,
  node: IrNode,
  quantized: ReadonlySet<string>,
  all: ReadonlySet<string>,
) {
  const byName = nodeByName(ir);
  let at = node.inputs[0];
  while (at !== undefined && !all.has(at)) at = byName.get(at)?.inputs[0];
  return at !== undefined && quantized.has(at) ? at : null;
}

export function searchSpace(
  ir: ModelIR,
  plan: SlotPlan,
  bits: { weights: readonly number[]; activations: readonly number[] },
): SearchSpace {
  const desc = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => b - a);
  const slots = new Map<string, SearchSlot>();
  const knobs: Knob[] = [];
  for (const kind of ['weights', 'activations'] as const) {
    const candidates = desc(bits[kind]);
    for (const s of plan[kind]) {
      if (!s.spec || !candidates.length) continue;
      const id = knobId(kind, s.node);
      slots.set(id, { kind, node: s.node, layer: s.layer });
      knobs.push({ id, kind, candidates });
    }
  }
  return { knobs, layers: costLayers(ir, plan), slots };
}

/** The MAC layers of a planned model, each with the activation slot feeding it. */
export function costLayers(ir: ModelIR, plan: SlotPlan): CostLayer[] {
  const quantizedActs = new Set(plan.activations.filter((s) => s.spec).map((s) => s.node));
  const allActs = new Set(plan.activations.map((s) => s.node));
  return ir.nodes.filter(isWeighted).map((n) => ({
    node: n.name,
    macs: nodeCost(n).macs,
    weights: n.weights.kernel?.values.length ?? 0,
    fanIn: fanIn(n),
    input: inputSlot(ir, n, quantizedActs, allActs),
  }));
}

/** Size, BOPs and accumulator width of a planned config (shown beside its accuracy). */
export function planCost(ir: ModelIR, plan: SlotPlan): SearchCost {
  const bits = (slots: SlotPlan['weights']) =>
    Object.fromEntries(slots.flatMap((s) => (s.spec ? [[s.node, s.spec.bits]] : [])));
  const c = configCost(costLayers(ir, plan), {
    weights: bits(plan.weights),
    activations: bits(plan.activations),
  });
  return { sizeBits: c.sizeBits, bops: c.bops, maxAccumulatorBits: c.maxAccumulatorBits };
}

/** Bits per slot for the cost model; quantized slots outside the search keep the config's. */
export function bitWidths(space: SearchSpace, a: Assignment): BitWidths {
  const weights: Record<string, number> = {};
  const activations: Record<string, number> = {};
  for (const [id, slot] of space.slots) {
    const bits = a[id];
    if (bits === undefined) continue;
    (slot.kind === 'weights' ? weights : activations)[slot.node] = bits;
  }
  return { weights, activations };
}

/**
 * The config with each searched slot at its assigned bits (other quantizer settings as the
 * slot had them), as node-level overrides where the bits differ from what the slot would get
 * without one.
 */
export function assignmentConfig(
  config: ExperimentConfig,
  space: SearchSpace,
  a: Assignment,
): ExperimentConfig {
  // One width across a side's slots becomes the global choice: a short, readable link.
  const base = { ...config };
  for (const kind of ['weights', 'activations'] as const) {
    const global = config[kind];
    const widths = new Set(
      [...space.slots].filter(([, s]) => s.kind === kind).map(([id]) => a[id]),
    );
    const [only] = widths;
    if (global !== 'fp32' && widths.size === 1 && only !== undefined)
      base[kind] = { ...global, bits: only };
  }
  config = base;
  const overrides: Record<string, LayerOverride> = structuredClone(config.overrides);
  const same = (x: QuantSlotChoice, y: QuantSlotChoice | undefined) =>
    y !== undefined && formatQuantChoice(x) === formatQuantChoice(y);
  for (const [id, slot] of space.slots) {
    const bits = a[id];
    const current = slotChoice(config, slot, slot.kind);
    if (bits === undefined || current === 'fp32') continue;
    const wanted = { ...current, bits };
    const fallback =
      slot.layer !== slot.node
        ? (config.overrides[slot.layer]?.[slot.kind] ?? config[slot.kind])
        : config[slot.kind];
    const entry: LayerOverride = { ...overrides[slot.node] };
    if (same(wanted, fallback)) delete entry[slot.kind];
    else entry[slot.kind] = wanted;
    if (entry.weights === undefined && entry.activations === undefined) delete overrides[slot.node];
    else overrides[slot.node] = entry;
  }
  return { ...config, overrides };
}
