/**
 * Cross-layer equalization (paper 3.2, Nagel et al. 2019) as a pure IR → IR transform on the
 * folded model. For each link A → B (cleGroups.ts), with r = max |w| per channel:
 * s_i = √(r1_i / r2_i) (zero range: s = 1); W_A ← S⁻¹W_A, b_A ← S⁻¹b_A, W_B ← W_B·S over B's
 * input channels; a fused ReLU6 bound becomes 6/s_i ('clip') or the ReLU6 becomes a ReLU
 * ('relu'). Afterwards both ranges are √(r1_i·r2_i).
 *
 * A layer inside a chain (conv → depthwise → pointwise) belongs to two links, so the links are
 * swept again until no scale moves (the paper's "iterate until converged"); for a triple this
 * reaches AIMET's closed form, every range = ∛(r1·r2·r3). The sweeps run on float64 copies and
 * round to float32 once. BN statistics of A (β, γ: A's pre-activation per channel) are divided
 * by s_i too, so bias absorption, analytic bias correction and BN range setting stay right.
 * Input arrays are never mutated; untouched nodes are shared with the input IR.
 *
 * @example r1 = [4, 1], r2 = [1, 4] → s = [2, 0.5]; afterwards both layers' ranges are [2, 2].
 */
import { outChannels, type ModelIR, type Weight, type WeightedNode } from '../model/ir';
import type { BnInfo } from '../quantsim/calibrate';
import {
  findCleGroups,
  inputChannelOf,
  inputRanges,
  outputRanges,
  type CleGroup,
  type Relu6Mode,
} from './cleGroups';

export { findCleGroups, type CleGroup, type CleLink, type Relu6Mode } from './cleGroups';

export interface CleOptions {
  /** Sweeps over all links at most (default 100). */
  maxIterations?: number;
  /** Converged when every |s_i − 1| of a sweep is below this (default 1e-6). */
  tolerance?: number;
  /** Fused ReLU6 between two layers (default 'clip': exact, see cleGroups.ts). */
  relu6?: Relu6Mode;
}

export interface CleResult {
  ir: ModelIR;
  bn: Map<string, BnInfo>;
  groups: CleGroup[];
  /** Per link, the total scale per channel: A's output channel i was divided by scales[i]. */
  pairs: { first: string; second: string; scales: number[] }[];
  /** Sweeps done, and whether the last one moved no scale by more than the tolerance. */
  iterations: number;
  converged: boolean;
  /** Per-output-channel max |w| of every node touched, before and after (paper Fig. 5). */
  ranges: Map<string, { before: Float32Array; after: Float32Array }>;
}

/** Float64 working copy of a touched node. */
interface Work {
  node: WeightedNode;
  kernel: Float64Array;
  bias: Float64Array | null;
  clip: Float64Array | null;
  channels: number;
}

function workOf(node: WeightedNode, first: boolean, relu6: Relu6Mode): Work {
  const channels = outChannels(node);
  const w = node.weights;
  const clip =
    first && node.config.activation === 'relu6' && relu6 === 'clip'
      ? Float64Array.from(w.clip?.values ?? new Float32Array(channels).fill(6))
      : null;
  return {
    node,
    kernel: Float64Array.from(w.kernel?.values ?? []),
    bias: w.bias ? Float64Array.from(w.bias.values) : null,
    clip,
    channels,
  };
}

/** One link: rescale A's outputs and B's inputs in place; returns the scales used. */
function equalizeLink(a: Work, b: Work, channels: number): Float64Array {
  const r1 = outputRanges(a.kernel, a.channels);
  const r2 = inputRanges(b.node, b.kernel, channels);
  const s = r1.map((x, i) => {
    const y = r2[i] ?? 0;
    return x > 0 && y > 0 ? Math.sqrt(x / y) : 1;
  });
  a.kernel.forEach((v, f, k) => (k[f] = v / (s[f % a.channels] ?? 1)));
  a.bias?.forEach((v, i, k) => (k[i] = v / (s[i] ?? 1)));
  a.clip?.forEach((v, i, k) => (k[i] = v / (s[i] ?? 1)));
  b.kernel.forEach((v, f, k) => (k[f] = v * (s[inputChannelOf(b.node, f, channels)] ?? 1)));
  return s;
}

const f32 = (values: Float64Array, shape: readonly number[]): Weight => ({
  values: Float32Array.from(values),
  shape,
});

/** The new node: float32 weights, and ReLU6 → ReLU in 'relu' mode for a link's first layer. */
function nodeOf(w: Work, first: boolean, relu6: Relu6Mode): WeightedNode {
  const weights = { ...w.node.weights };
  const shape = w.node.weights.kernel?.shape ?? [w.kernel.length];
  weights.kernel = f32(w.kernel, shape);
  if (w.bias) weights.bias = f32(w.bias, [w.channels]);
  if (w.clip) weights.clip = f32(w.clip, [w.channels]);
  const toRelu = first && relu6 === 'relu' && w.node.config.activation === 'relu6';
  if (toRelu) delete weights.clip;
  const config = toRelu ? { ...w.node.config, activation: 'relu' as const } : w.node.config;
  return { ...w.node, config, weights } as WeightedNode;
}

/** A's pre-activation statistics scale with its channel: β/s, γ/s (and the ReLU6 bound). */
function scaleBn(b: BnInfo, s: readonly number[], clip: Float64Array | null, toRelu: boolean) {
  const div = (a: Float32Array) => Float32Array.from(a, (v, i) => v / (s[i] ?? 1));
  const out: BnInfo = { beta: div(b.beta), gamma: div(b.gamma), fused: b.fused };
  if (toRelu) out.fused = 'relu';
  else if (clip) out.clip = Float32Array.from(clip);
  else if (b.clip) out.clip = b.clip;
  return out;
}

export function equalize(
  ir: ModelIR,
  bn: ReadonlyMap<string, BnInfo>,
  options: CleOptions = {},
): CleResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-6;
  const relu6 = options.relu6 ?? 'clip';
  const groups = findCleGroups(ir, { relu6 });
  const links = groups.flatMap((g) => g.links);
  const byName = new Map(ir.nodes.map((n) => [n.name, n]));
  const firsts = new Set(links.map((l) => l.first));
  const work = new Map<string, Work>();
  for (const name of groups.flatMap((g) => g.layers))
    work.set(name, workOf(byName.get(name) as WeightedNode, firsts.has(name), relu6));
  const get = (name: string) => work.get(name) as Work;
  const scales = links.map((l) => new Float64Array(l.channels).fill(1));

  let iterations = 0;
  let converged = links.length === 0;
  while (!converged && iterations < maxIterations) {
    iterations++;
    let moved = 0;
    links.forEach((l, k) => {
      const s = equalizeLink(get(l.first), get(l.second), l.channels);
      const total = scales[k] as Float64Array;
      s.forEach((v, i) => {
        total[i] = (total[i] ?? 1) * v;
        moved = Math.max(moved, Math.abs(v - 1));
      });
    });
    converged = moved < tolerance;
  }

  const nodes = new Map<string, WeightedNode>();
  const ranges: CleResult['ranges'] = new Map();
  for (const [name, w] of work) {
    const node = nodeOf(w, firsts.has(name), relu6);
    nodes.set(name, node);
    const before = outputRanges(w.node.weights.kernel?.values ?? [], w.channels);
    const after = outputRanges(node.weights.kernel?.values ?? [], w.channels);
    ranges.set(name, { before: Float32Array.from(before), after: Float32Array.from(after) });
  }
  const info = new Map(bn);
  const pairs = links.map((l, k) => {
    const s = Array.from(scales[k] ?? []);
    const b = info.get(l.first);
    const node = nodes.get(l.first);
    const toRelu = b?.fused === 'relu6' && node?.config.activation === 'relu';
    if (b) info.set(l.first, scaleBn(b, s, get(l.first).clip, toRelu));
    return { first: l.first, second: l.second, scales: s };
  });
  return {
    ir: { ...ir, nodes: ir.nodes.map((n) => nodes.get(n.name) ?? n) },
    bn: info,
    groups,
    pairs,
    iterations,
    converged,
    ranges,
  };
}
