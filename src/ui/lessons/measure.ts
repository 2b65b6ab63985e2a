/**
 * Figures the lessons read off live results: a layer's SQNR, the accuracy, and what the page
 * measures itself on the fetched tensors with the same pure math as the charts (quant/).
 */
import type { QuantChoice } from '@/config/quantChoice';
import { toQuantizerSpec, weightSpec } from '@/config/slotSpec';
import { fakeQuant } from '@/quant/affine';
import { perChannelMinMax } from '@/quant/granularity';
import { sqnrDb } from '@/quant/metrics';
import { resolveEncodings } from '@/quant/resolve';
import type { DecisionBoundary, LayerActivations, LayerWeights, QuantResult } from '@/store/types';
import type { Outcome } from './types';

export const pending = (waiting: string): Outcome => ({ state: 'pending', waiting });

export const verdict = (ok: boolean, figures: string, values: Record<string, number>): Outcome => ({
  state: ok ? 'pass' : 'fail',
  figures,
  values,
});

export const layerOf = (r: QuantResult, node: string) => r.layers.find((l) => l.node === node);
export const wSqnr = (r: QuantResult, node: string) => layerOf(r, node)?.weight?.sqnrDb ?? NaN;
export const aSqnr = (r: QuantResult, node: string) => layerOf(r, node)?.activation?.sqnrDb ?? NaN;
export const accuracy = (r: QuantResult) => r.quantAccuracy ?? NaN;

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const db = (x: number) => `${x.toFixed(1)} dB`;
/** Accuracy difference in percentage points. */
export const points = (a: number, b: number) => (a - b) * 100;

/** Least-squares slope of y over x. @example slope([1, 2, 3], [2, 4, 6]) === 2 */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  const mx = x.slice(0, n).reduce((a, b) => a + b, 0) / n;
  const my = y.slice(0, n).reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    num += dx * ((y[i] as number) - my);
    den += dx * dx;
  }
  return num / den;
}

/** Whole-kernel SQNR (the table's W-SQNR) of the focus layer at another bit-width. */
export function weightSqnrAt(w: LayerWeights, choice: QuantChoice, bits: number): number {
  const spec = weightSpec({ ...choice, bits });
  if (!spec) return NaN;
  const enc = resolveEncodings(spec, {
    data: w.values,
    layout: { channels: w.channels, inner: 1 },
  });
  return sqnrDb(w.values, fakeQuant(w.values, enc));
}

/** SQNR of an activation sample under a per-tensor choice, and the share of grid codes used. */
export function activationGridUse(
  a: LayerActivations,
  choice: QuantChoice,
): { sqnrDb: number; codesUsed: number; gridSize: number } {
  const spec = toQuantizerSpec({ ...choice, granularity: 'per-tensor' });
  const enc = resolveEncodings(spec, { data: a.values, layout: { channels: 1, inner: 1 } });
  const s = enc.scale[0] ?? 1;
  const z = enc.zeroPoint[0] ?? 0;
  const used = new Set<number>();
  for (const v of a.values) used.add(Math.min(enc.qmax, Math.max(enc.qmin, Math.round(v / s) + z)));
  return {
    sqnrDb: sqnrDb(a.values, fakeQuant(a.values, enc)),
    codesUsed: used.size,
    gridSize: enc.qmax - enc.qmin + 1,
  };
}

/** Largest over smallest per-output-channel max|w| (paper Fig. 5). */
export function channelRangeRatio(w: LayerWeights): number {
  const r = perChannelMinMax(w.values, { channels: w.channels, inner: 1 }).map((c) =>
    Math.max(Math.abs(c.min), Math.abs(c.max)),
  );
  return ratio(r);
}

/** max / min of positive ranges; 1 for fewer than two. */
export function ratio(ranges: readonly number[]): number {
  const pos = ranges.filter((r) => r > 0);
  return pos.length < 2 ? 1 : Math.max(...pos) / Math.min(...pos);
}

/** Share of grid cells where the quantized model's class differs from FP32's. */
export function boundaryDisagreement(b: DecisionBoundary): number {
  let differ = 0;
  for (let i = 0; i < b.fp32.label.length; i++)
    if (b.fp32.label[i] !== b.quantized.label[i]) differ++;
  return differ / Math.max(1, b.fp32.label.length);
}
