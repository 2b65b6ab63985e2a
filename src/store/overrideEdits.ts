/**
 * Per-layer override edits from the layer table. An override made there starts from the global
 * quantizer (scheme, granularity, range) and changes only the bit-width; while its other fields
 * still equal the global's, it follows later global edits and keeps its own bits. An override
 * that differs in more than bits (written by hand in a link) is left as it is.
 */
import { DEFAULT_ACTIVATIONS, DEFAULT_WEIGHTS } from '@/config/defaults';
import type { QuantChoice, QuantSlotChoice } from '@/config/quantChoice';
import type { ExperimentConfig, LayerOverride } from '@/config/schema';

export type SlotKind = 'weights' | 'activations';
/** What a row's picker sets: a bit-width, FP32, or null for "as the global quantizer". */
export type OverridePick = number | 'fp32' | null;

const sameButBits = (a: QuantChoice, b: QuantChoice) =>
  a.scheme === b.scheme &&
  a.granularity === b.granularity &&
  a.range === b.range &&
  a.percentile === b.percentile &&
  a.narrowRange === b.narrowRange;

/**
 * The slot choice a pick gives, or undefined for "no override".
 * @example overrideFor(DEFAULT_CONFIG, 'conv1', 'weights', 4) -> { ...DEFAULT_WEIGHTS, bits: 4 }
 */
export function overrideFor(
  config: Pick<ExperimentConfig, 'weights' | 'activations' | 'overrides'>,
  node: string,
  kind: SlotKind,
  pick: OverridePick,
): QuantSlotChoice | undefined {
  if (pick === null) return undefined;
  if (pick === 'fp32') return 'fp32';
  const own = config.overrides[node]?.[kind];
  const global = config[kind];
  const base: QuantChoice =
    own !== undefined && own !== 'fp32'
      ? own
      : global !== 'fp32'
        ? global
        : kind === 'weights'
          ? DEFAULT_WEIGHTS
          : DEFAULT_ACTIVATIONS;
  return { ...base, bits: pick };
}

/** The overrides with one slot set (or removed); a layer with no slot left is dropped. */
export function withOverride(
  overrides: Readonly<Record<string, LayerOverride>>,
  node: string,
  kind: SlotKind,
  choice: QuantSlotChoice | undefined,
): Record<string, LayerOverride> {
  const next = { ...overrides };
  const entry = { ...next[node] };
  if (choice === undefined) delete entry[kind];
  else entry[kind] = choice;
  if (entry.weights === undefined && entry.activations === undefined) delete next[node];
  else next[node] = entry;
  return next;
}

/**
 * After a global edit prev → next: overrides that differed from prev only in bits take next's
 * scheme, granularity and range, keeping their bits. Returns the same object when none moved.
 */
export function followGlobal(
  overrides: Record<string, LayerOverride>,
  kind: SlotKind,
  prev: QuantSlotChoice,
  next: QuantSlotChoice,
): Record<string, LayerOverride> {
  if (prev === 'fp32' || next === 'fp32' || sameButBits(prev, next)) return overrides;
  let moved = false;
  const out: Record<string, LayerOverride> = {};
  for (const [node, o] of Object.entries(overrides)) {
    const c = o[kind];
    if (c !== undefined && c !== 'fp32' && sameButBits(c, prev)) {
      out[node] = { ...o, [kind]: { ...next, bits: c.bits } };
      moved = true;
    } else out[node] = o;
  }
  return moved ? out : overrides;
}

/**
 * The override keys that apply to a table row: its node name and, when different, its Keras
 * layer name (config/slotSpec.ts reads both, a link may use either).
 */
export function overrideKeys(
  overrides: Readonly<Record<string, LayerOverride>>,
  at: { node: string; layer: string },
): string[] {
  return [...new Set([at.node, at.layer])].filter((k) => overrides[k] !== undefined);
}
