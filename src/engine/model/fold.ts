/**
 * Inference-time graph simplification before quantization, as a pure IR → IR transform
 * (weight arrays are never mutated; untouched ones are shared with the input IR):
 *
 * 1. Dropout and linear Activation nodes are removed (identities at inference).
 * 2. BN folding (paper §1.7): a BatchNorm whose sole input is a Dense/Conv2D/DepthwiseConv2D
 *    with a linear fused activation, whose output feeds only that BN, is folded into it:
 *    W̃ = W·γ/√(σ²+ε) per output channel, b̃ = β + (b − μ)·γ/√(σ²+ε). Exact at inference.
 * 3. Activation fusing (paper §1.8): a ReLU/ReLU6 whose sole input is such a node (after
 *    folding), feeding only it, becomes that node's fused activation.
 * Anything else stays: a BN after an Add, a ReLU after a pooling or an Add, etc.
 */
import {
  consumersOf,
  isWeighted,
  outChannels,
  type IrNode,
  type ModelIR,
  type Weight,
  type WeightedNode,
} from './ir';

export interface FoldRecord {
  /** Dropout / linear activation nodes dropped: node → the node it passed through. */
  readonly removed: readonly { node: string; type: string; input: string }[];
  readonly foldedBatchNorms: readonly { batchNorm: string; into: string }[];
  readonly fusedActivations: readonly { activation: string; fn: 'relu' | 'relu6'; into: string }[];
  /** Every removed node name → the node of the new IR that now outputs its value. */
  readonly outputOf: Readonly<Record<string, string>>;
}

export interface FoldResult {
  readonly ir: ModelIR;
  readonly record: FoldRecord;
}

/** Drops `name`, making its readers (and the model outputs) read `by` instead. */
function replace(ir: ModelIR, name: string, by: string, survivor?: IrNode): ModelIR {
  const rename = (n: string) => (n === name ? by : n);
  const nodes = ir.nodes
    .filter((n) => n.name !== name)
    .map((n) => (survivor && n.name === survivor.name ? survivor : n))
    .map((n) => (n.inputs.includes(name) ? { ...n, inputs: n.inputs.map(rename) } : n));
  return { nodes, inputs: ir.inputs, outputs: ir.outputs.map(rename) };
}

/** The producer `p` of single-input node `n` when `n` is p's only reader and p is not a model output. */
function soleProducer(ir: ModelIR, n: IrNode): WeightedNode | undefined {
  const [input, ...rest] = n.inputs;
  if (input === undefined || rest.length > 0 || ir.outputs.includes(input)) return undefined;
  const p = ir.nodes.find((m) => m.name === input);
  if (!p || !isWeighted(p) || p.config.activation !== 'linear') return undefined;
  const readers = consumersOf(ir).get(input) ?? [];
  return readers.length === 1 ? p : undefined;
}

/** Paper §1.7 with a conv bias: per output channel c = flat index % C (see ir.ts). */
export function foldBatchNormInto(
  p: WeightedNode,
  bn: IrNode & { type: 'batchNorm' },
): WeightedNode | undefined {
  const kernel = p.weights.kernel;
  const { gamma, beta, movingMean: mean, movingVariance: variance } = bn.weights;
  const channels = outChannels(p);
  if (!kernel || !mean || !variance || mean.values.length !== channels) return undefined;
  // Float32 in torch's operation order (torch.nn.utils.fusion.fuse_conv_bn_weights), so the
  // folded weights are bit-identical to torch's: rsqrt = 1 / sqrt(var + eps), each op rounded.
  const f32 = Math.fround;
  const eps = f32(bn.config.epsilon);
  const rsqrt = Float32Array.from(variance.values, (v) => 1 / f32(Math.sqrt(f32(v + eps))));
  const scale = Float32Array.from(rsqrt, (r, c) => (gamma?.values[c] ?? 1) * r);
  const w = Float32Array.from(kernel.values, (v, i) => v * (scale[i % channels] ?? 1));
  const b = Float32Array.from(mean.values, (m, c) => {
    const centered = f32((p.weights.bias?.values[c] ?? 0) - m);
    return f32(f32(centered * (rsqrt[c] ?? 1)) * (gamma?.values[c] ?? 1)) + (beta?.values[c] ?? 0);
  });
  const weights: Record<'kernel' | 'bias', Weight> = {
    kernel: { values: w, shape: kernel.shape },
    bias: { values: b, shape: [channels] },
  };
  return { ...p, weights } as WeightedNode;
}

export function foldModel(input: ModelIR): FoldResult {
  let ir = input;
  const removed: { node: string; type: string; input: string }[] = [];
  const foldedBatchNorms: { batchNorm: string; into: string }[] = [];
  const fusedActivations: { activation: string; fn: 'relu' | 'relu6'; into: string }[] = [];
  const outputOf: Record<string, string> = {};
  const merge = (name: string, by: string, survivor?: IrNode) => {
    ir = replace(ir, name, by, survivor);
    for (const [k, v] of Object.entries(outputOf)) if (v === name) outputOf[k] = by;
    outputOf[name] = by;
  };

  // Node objects change as passes rewrite inputs, so each step re-reads the current one.
  const current = (name: string) => ir.nodes.find((n) => n.name === name);
  const names = input.nodes.map((n) => n.name);
  for (const name of names) {
    const n = current(name);
    const identity =
      n?.type === 'dropout' || (n?.type === 'activation' && n.config.fn === 'linear');
    const [source] = n?.inputs ?? [];
    if (n && identity && source !== undefined && n.inputs.length === 1) {
      removed.push({ node: n.name, type: n.type, input: source });
      merge(n.name, source);
    }
  }
  for (const name of names) {
    const bn = current(name);
    if (bn?.type !== 'batchNorm') continue;
    const p = soleProducer(ir, bn);
    const folded = p && foldBatchNormInto(p, bn);
    if (!p || !folded) continue;
    foldedBatchNorms.push({ batchNorm: bn.name, into: p.name });
    merge(bn.name, p.name, folded);
  }
  for (const name of names) {
    const a = current(name);
    if (a?.type !== 'activation' || (a.config.fn !== 'relu' && a.config.fn !== 'relu6')) continue;
    const p = soleProducer(ir, a);
    if (!p) continue;
    const fn = a.config.fn;
    fusedActivations.push({ activation: a.name, fn, into: p.name });
    merge(a.name, p.name, { ...p, config: { ...p.config, activation: fn } } as WeightedNode);
  }
  return { ir, record: { removed, foldedBatchNorms, fusedActivations, outputOf } };
}
