/**
 * Absorbing high biases (paper 3.2, after CLE): for a link A → B (cleGroups.ts) where A carries
 * a folded BN, move c from A's output into B's bias: b_A ← b_A − c, b_B ← b_B + W_B·c, β_A ← β_A − c.
 * With a fused ReLU, c_i = max(0, β_i − 3|γ_i|) (data-free; A's pre-activation ~ N(β, γ²), so
 * ReLU(z − c) = ReLU(z) − c for 99.865% of inputs; |γ| as AIMET's HighBiasFold). A ReLU6 bound
 * moves with it (clip ← clip − c, c ≤ clip). A linear A absorbs c = β (AIMET: exact without a
 * ReLU). Pools between A and B commute with the shift (max(h − c) = max(h) − c, avg likewise).
 *
 * Not exact where B (or a ZeroPadding2D before it) pads with zeros: the padding now stands for
 * −c instead of 0 at B's borders. The paper and AIMET accept that approximation.
 *
 * @example β = [5, 0.5], γ = [1, 1], ReLU → c = [2, 0]: b_A − [2, 0], b_B + W_B·[2, 0].
 */
import { isWeighted, outChannels, type ModelIR, type Weight, type WeightedNode } from '../model/ir';
import type { BnInfo } from '../quantsim/calibrate';
import { findCleGroups, inputChannelOf, type CleGroup } from './cleGroups';

export interface AbsorbResult {
  ir: ModelIR;
  bn: Map<string, BnInfo>;
  /** Per link that moved anything: channels with c > 0 and the largest c. */
  absorbed: { node: string; next: string; channels: number; maxShift: number }[];
}

/** c per channel of A (see the file comment), or null when nothing can move. */
function shiftOf(a: WeightedNode, stats: BnInfo): Float64Array | null {
  const act = a.config.activation;
  const clip = a.weights.clip?.values;
  const c = Float64Array.from(stats.beta, (beta, i) => {
    if (act === 'linear') return beta;
    const high = Math.max(0, beta - 3 * Math.abs(stats.gamma[i] ?? 0));
    return act === 'relu6' ? Math.min(high, clip?.[i] ?? 6) : high;
  });
  return c.some((v) => v !== 0) ? c : null;
}

const minus = (values: Float32Array, c: Float64Array) =>
  Float32Array.from(values, (v, i) => v - (c[i] ?? 0));

/** b_B ← b_B + W_B·c: each kernel element adds w·c[its input channel] to its output channel. */
function addToBias(node: WeightedNode, c: Float64Array, channels: number): WeightedNode {
  const kernel = node.weights.kernel;
  if (!kernel) return node;
  const oc = outChannels(node);
  const extra = new Float64Array(oc);
  kernel.values.forEach((w, f) => {
    extra[f % oc] = (extra[f % oc] ?? 0) + w * (c[inputChannelOf(node, f, channels)] ?? 0);
  });
  const old = node.weights.bias?.values ?? new Float32Array(oc);
  const bias: Weight = {
    values: Float32Array.from(old, (v, o) => v + (extra[o] ?? 0)),
    shape: [oc],
  };
  return { ...node, weights: { ...node.weights, bias } } as WeightedNode;
}

/** `groups` default to findCleGroups(ir) (ReLU6 links kept, as after CLE's default 'clip'). */
export function absorbHighBiases(
  ir: ModelIR,
  bn: ReadonlyMap<string, BnInfo>,
  groups: readonly CleGroup[] = findCleGroups(ir),
): AbsorbResult {
  const nodes = new Map(ir.nodes.map((n) => [n.name, n]));
  const info = new Map(bn);
  const absorbed: AbsorbResult['absorbed'] = [];
  for (const link of groups.flatMap((g) => g.links)) {
    const a = nodes.get(link.first);
    const b = nodes.get(link.second);
    const stats = info.get(link.first);
    if (!a || !b || !stats || !isWeighted(a) || !isWeighted(b)) continue;
    const c = shiftOf(a, stats);
    if (!c || c.length !== link.channels) continue;
    const channels = outChannels(a);
    const bias = a.weights.bias?.values ?? new Float32Array(channels);
    const weights = { ...a.weights, bias: { values: minus(bias, c), shape: [channels] } };
    const relu6 = a.config.activation === 'relu6';
    const newClip = relu6 ? minus(a.weights.clip?.values ?? sixes(channels), c) : null;
    if (newClip) weights.clip = { values: newClip, shape: [channels] };
    nodes.set(a.name, { ...a, weights } as WeightedNode);
    nodes.set(b.name, addToBias(b, c, link.channels));
    info.set(a.name, {
      ...stats,
      beta: minus(stats.beta, c),
      ...(newClip ? { clip: newClip } : {}),
    });
    absorbed.push({
      node: a.name,
      next: b.name,
      channels: c.filter((v) => v !== 0).length,
      maxShift: c.reduce((m, v) => Math.max(m, Math.abs(v)), 0),
    });
  }
  return { ir: { ...ir, nodes: ir.nodes.map((n) => nodes.get(n.name) ?? n) }, bn: info, absorbed };
}

const sixes = (n: number) => new Float32Array(n).fill(6);
