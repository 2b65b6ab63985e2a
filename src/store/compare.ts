/**
 * Compare mode (the exploratory-tuning workflow): a pinned result kept as plain data, and the
 * baseline-vs-current rows the table and charts draw. Pure, so the deltas are tested without a
 * store; the pinned baseline is page state and never part of the share link (docs/share-link.md).
 */
import type { LayerReport, QuantResult } from '@/worker/api';

/** One layer's numbers as pinned. */
export interface BaselineLayer {
  node: string;
  weightChoice: string | null;
  activationChoice: string | null;
  weightSqnrDb: number | null;
  activationSqnrDb: number | null;
  /** Accuracy with only this layer quantized, and with layers 1..this one. */
  sensitivity: number | null;
  cumulative: number | null;
}

export interface Baseline {
  /** The share-link hash of the config the result came from (open it to get those settings). */
  link: string;
  modelId: string;
  count: number;
  fp32Accuracy: number | null;
  quantAccuracy: number | null;
  outputSqnrDb: number | null;
  layers: BaselineLayer[];
}

const layerOf = (l: LayerReport): BaselineLayer => ({
  node: l.node,
  weightChoice: l.weight?.choice ?? null,
  activationChoice: l.activation?.choice ?? null,
  weightSqnrDb: l.weight?.sqnrDb ?? null,
  activationSqnrDb: l.activation?.sqnrDb ?? null,
  sensitivity: l.sensitivity?.accuracy ?? null,
  cumulative: l.cumulative?.accuracy ?? null,
});

/** The parts of a finished result that a comparison needs (copied: results are not mutated). */
export function baselineFrom(r: QuantResult): Baseline {
  return {
    link: r.link,
    modelId: r.modelId,
    count: r.count,
    fp32Accuracy: r.fp32Accuracy,
    quantAccuracy: r.quantAccuracy,
    outputSqnrDb: r.outputSqnrDb,
    layers: r.layers.map(layerOf),
  };
}

/**
 * current − baseline, or null when either side is missing. Two infinite SQNRs (exact copies,
 * e.g. both FP32) differ by 0, not NaN.
 * @example delta(24.1, 48.2) -> -24.1
 */
export function delta(current: number | null, baseline: number | null): number | null {
  if (current === null || baseline === null) return null;
  if (current === baseline) return 0;
  const d = current - baseline;
  return Number.isNaN(d) ? null : d;
}

/** A layer's baseline and current figures with their deltas (current − baseline). */
export interface CompareRow {
  node: string;
  baseline: BaselineLayer | null;
  weightSqnrDelta: number | null;
  activationSqnrDelta: number | null;
  sensitivityDelta: number | null;
  cumulativeDelta: number | null;
}

/** Whether the baseline's per-layer rows can be set beside this result's (same model). */
export const comparable = (
  b: Baseline | null,
  r: Pick<QuantResult, 'modelId'> | null,
): b is Baseline => b !== null && r !== null && b.modelId === r.modelId;

/** One row per current layer, matched to the baseline by node name. */
export function compareRows(baseline: Baseline, layers: readonly LayerReport[]): CompareRow[] {
  const byNode = new Map(baseline.layers.map((l) => [l.node, l]));
  return layers.map((l) => {
    const b = byNode.get(l.node) ?? null;
    const now = layerOf(l);
    return {
      node: l.node,
      baseline: b,
      weightSqnrDelta: delta(now.weightSqnrDb, b?.weightSqnrDb ?? null),
      activationSqnrDelta: delta(now.activationSqnrDb, b?.activationSqnrDb ?? null),
      sensitivityDelta: delta(now.sensitivity, b?.sensitivity ?? null),
      cumulativeDelta: delta(now.cumulative, b?.cumulative ?? null),
    };
  });
}
