/**
 * Activation range setting from calibration data (paper 3.1): run the FP32 model over the
 * calibration batches (as torch.ao's observers see it), feed each quantized output to an
 * observer, then turn the statistics into encodings. Min-max and moving-average use every
 * image; per-tensor MSE and percentile use a histogram of every image; per-channel MSE,
 * percentile and cross-entropy use the raw values of the first images, up to RAW_LIMIT values.
 */
import type * as tf from '@tensorflow/tfjs';
import { encodingsFromRanges, PER_TENSOR } from '@/quant/encodings';
import { layoutForAxis } from '@/quant/granularity';
import { HistogramObserver } from '@/quant/range/histogramObserver';
import {
  MinMaxObserver,
  MovingAverageMinMaxObserver,
  type Observer,
} from '@/quant/range/observers';
import { estimateRanges, resolveEncodings } from '@/quant/resolve';
import { normalizeSpec } from '@/quant/spec';
import type { ChannelLayout, ClipRange, Encodings, QuantizerSpec } from '@/quant/types';
import type { LabeledSet } from '../data/dataset';
import { CancelledError } from '../eval/evaluate';
import type { Executable } from './execute';
import type { Slot } from './slots';
import { yielder } from '../yieldTask';

/** Raw values kept per layer for the estimators that need them (whole images only). */
export const RAW_LIMIT = 1 << 18;
export const CALIBRATION_BATCH = 128;

/** β, γ of the BN folded into a node, and the activation fused after it (for BN ranges). */
export interface BnInfo {
  beta: Float32Array;
  gamma: Float32Array;
  fused: 'linear' | 'relu' | 'relu6';
  /** Per-channel ReLU6 bound after CLE (replaces 6; see ir.ts `clip`). */
  clip?: Float32Array;
}

interface Collector {
  slot: Slot & { spec: QuantizerSpec };
  layout: ChannelLayout | null;
  observer: Observer | null;
  raw: Float32Array[];
  rawCount: number;
  shape: number[];
}

function needsRaw(spec: QuantizerSpec): boolean {
  const method = spec.range?.method ?? 'min-max';
  if (method === 'cross-entropy') return true;
  return (method === 'mse' || method === 'percentile') && spec.granularity === 'per-channel';
}

function makeObserver(spec: QuantizerSpec, layout: ChannelLayout): Observer | null {
  const method = spec.range?.method ?? 'min-max';
  if (method === 'min-max') return new MinMaxObserver(layout);
  if (method === 'moving-average') return new MovingAverageMinMaxObserver(layout);
  if (method === 'mse' || method === 'percentile')
    return needsRaw(spec) ? null : new HistogramObserver();
  return null;
}

export async function calibrateActivations(
  exe: Executable,
  slots: readonly Slot[],
  data: LabeledSet,
  bn: ReadonlyMap<string, BnInfo>,
  options: { onBatch?: (done: number, total: number) => void; shouldStop?: () => boolean } = {},
): Promise<Map<string, Encodings>> {
  const active = slots.filter((s): s is Collector['slot'] => s.spec !== null);
  const collectors: Collector[] = active.map((slot) => ({
    slot,
    layout: null,
    observer: null,
    raw: [],
    rawCount: 0,
    shape: [],
  }));
  const streamed = collectors.filter((c) => c.slot.spec.range?.method !== 'bn');
  const maybeYield = yielder();
  for (let start = 0; start < data.count && streamed.length > 0; start += CALIBRATION_BATCH) {
    await maybeYield(); // lets a cancel (and the heartbeat) in between batches
    if (options.shouldStop?.()) throw new CancelledError();
    const end = Math.min(data.count, start + CALIBRATION_BATCH);
    const { x } = data.batch(start, end);
    const { output, outputs, activations } = exe.run(x, {
      collect: streamed.map((c) => c.slot.node),
    });
    try {
      for (const c of streamed) {
        const t = activations?.get(c.slot.node) as tf.Tensor;
        await observe(c, t);
      }
    } finally {
      const owned = new Set<tf.Tensor>([x, output, ...outputs, ...(activations?.values() ?? [])]);
      owned.forEach((t) => t.dispose());
    }
    options.onBatch?.(end, data.count);
  }
  const result = new Map<string, Encodings>();
  for (const c of collectors) result.set(c.slot.node, finish(c, bn.get(c.slot.node)));
  return result;
}

async function observe(c: Collector, t: tf.Tensor): Promise<void> {
  const values = (await t.data()) as Float32Array;
  const spec = c.slot.spec;
  if (c.layout === null) {
    c.shape = t.shape.slice(1);
    c.layout = spec.granularity === 'per-channel' ? layoutForAxis(t.shape, -1) : PER_TENSOR;
    c.observer = makeObserver(spec, c.layout);
  }
  c.observer?.observe(values);
  if (needsRaw(spec) && c.rawCount < RAW_LIMIT) {
    const perImage = values.length / (t.shape[0] ?? 1);
    const images = Math.max(
      1,
      Math.min(t.shape[0] ?? 1, Math.floor((RAW_LIMIT - c.rawCount) / perImage)),
    );
    c.raw.push(values.slice(0, images * perImage));
    c.rawCount += images * perImage;
  }
}

function finish(c: Collector, bn: BnInfo | undefined): Encodings {
  const spec = normalizeSpec(c.slot.spec);
  if (spec.range.method === 'bn') {
    if (!bn) throw new Error(`${c.slot.node}: BN ranges need the folded batch norm`);
    const layout =
      spec.granularity === 'per-channel' ? { channels: bn.beta.length, inner: 1 } : PER_TENSOR;
    const ranges = estimateRanges(spec, { bn, layout }).map((r) =>
      clipByActivation(r, bn.fused, bn.clip),
    );
    return encodingsFromRanges(ranges, spec, layout);
  }
  const layout = c.layout ?? PER_TENSOR;
  if (needsRaw(spec)) {
    const data = concat(c.raw);
    const shape = [
      data.length /
        Math.max(
          1,
          c.shape.reduce((a, b) => a * b, 1),
        ),
      ...c.shape,
    ];
    return resolveEncodings(spec, { data, shape, layout });
  }
  const observer = c.observer as Observer;
  const observed =
    observer instanceof HistogramObserver
      ? { histogram: observer.histogram() }
      : { ranges: observer.ranges() };
  return resolveEncodings(spec, { observed, layout });
}

/** A ReLU fused after the BN clips the BN-based range (β ± αγ) at 0 (and 6). */
function clipByActivation(r: ClipRange, fused: BnInfo['fused'], clip?: Float32Array): ClipRange {
  if (fused === 'linear') return r;
  const hi = fused !== 'relu6' ? Infinity : clip ? Math.max(...clip) : 6;
  return { min: Math.min(Math.max(r.min, 0), hi), max: Math.min(Math.max(r.max, 0), hi) };
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
