/**
 * The layer-graph IR of a loaded model: plain data (no tensors), nodes in topological order.
 * Weights are copies in Float32Array with Keras/TF.js layouts (tfjs-notes.md §6.2), so the
 * pure math in quant/ can read them and transforms (BN folding, CLE, ...) can return new IRs.
 */

/** A Keras shape: the leading batch dimension is null. */
export type Shape = readonly (number | null)[];

export interface Weight {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** Activations an accelerator applies inside the op before requantization (paper §1.8). */
export type FusedActivation = 'linear' | 'relu' | 'relu6';
/** Activations a standalone node may apply; softmax/tanh/sigmoid are never fused. */
export type ActivationFn = FusedActivation | 'softmax' | 'tanh' | 'sigmoid';
export type Padding = 'valid' | 'same';
export type Pair = readonly [number, number];

interface ConvConfig {
  readonly strides: Pair;
  readonly padding: Padding;
  readonly dilation: Pair;
  readonly activation: FusedActivation;
}
interface PoolConfig {
  readonly poolSize: Pair;
  readonly strides: Pair;
  readonly padding: Padding;
}

/** Attributes per op type; weight names per op type are in {@link WeightName}. */
export interface OpConfigs {
  input: Record<string, never>;
  dense: { readonly activation: FusedActivation };
  conv2d: ConvConfig;
  depthwiseConv2d: ConvConfig & { readonly depthMultiplier: number };
  /** Inference-mode BN over the last axis, x·γ/√(σ²+ε) + (β − μγ/√(σ²+ε)) (paper eq. 9). */
  batchNorm: { readonly epsilon: number };
  activation: { readonly fn: ActivationFn };
  maxPool2d: PoolConfig;
  avgPool2d: PoolConfig;
  globalAvgPool2d: Record<string, never>;
  flatten: Record<string, never>;
  /** Target shape without the batch dimension; -1 means "inferred". */
  reshape: { readonly targetShape: readonly number[] };
  /** [[top, bottom], [left, right]]. */
  zeroPadding2d: { readonly padding: readonly [Pair, Pair] };
  add: Record<string, never>;
  concatenate: { readonly axis: number };
  /** Identity at inference; foldModel removes it. */
  dropout: { readonly rate: number };
}
export type OpType = keyof OpConfigs;

/**
 * kernel: Dense [in, out], Conv2D [kh, kw, in, out], DepthwiseConv2D [kh, kw, in, mult];
 * bias [outChannels]; BN vectors [channels]. `clip` [outChannels] replaces the 6 of a fused
 * ReLU6 per channel: cross-layer equalization scales ReLU6 to min(max(x, 0), 6/s_c) (paper 3.2:
 * piecewise-linear functions stay equivariant when their parameters are scaled).
 */
export type WeightName =
  'kernel' | 'bias' | 'gamma' | 'beta' | 'movingMean' | 'movingVariance' | 'clip';

export interface NodeOf<T extends OpType> {
  /** Unique in the IR; the Keras layer name unless one layer became several nodes. */
  readonly name: string;
  readonly type: T;
  /** The Keras layer this node came from (for the UI and for comparing with model.predict). */
  readonly layer: string;
  /** Names of the nodes whose outputs feed this one, in call order. */
  readonly inputs: readonly string[];
  readonly outputShape: Shape;
  readonly config: OpConfigs[T];
  readonly weights: Readonly<Partial<Record<WeightName, Weight>>>;
}
export type IrNode = { [T in OpType]: NodeOf<T> }[OpType];

export interface ModelIR {
  /** Topological order: every node comes after all its inputs. */
  readonly nodes: readonly IrNode[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** Ops with a kernel whose output channel is the last (fastest-varying) index group. */
export type WeightedType = 'dense' | 'conv2d' | 'depthwiseConv2d';
export type WeightedNode = Extract<IrNode, { type: WeightedType }>;

export function isWeighted(node: IrNode): node is WeightedNode {
  return node.type === 'dense' || node.type === 'conv2d' || node.type === 'depthwiseConv2d';
}

/**
 * Output channels of a weighted node's kernel: out for Dense/Conv2D, in·mult for depthwise.
 * In all three layouts the output channel of flat element i is i % outChannels (row-major,
 * channel index group last), which is what per-channel quantizers and BN folding rely on.
 * @example a depthwise kernel [3, 3, 8, 2] has 16 output channels; element i belongs to i % 16.
 */
export function outChannels(node: WeightedNode): number {
  const shape = node.weights.kernel?.shape ?? [];
  const last = shape[shape.length - 1] ?? 0;
  if (node.type !== 'depthwiseConv2d') return last;
  return (shape[shape.length - 2] ?? 0) * last;
}

/** Map from node name to the names of the nodes that read its output. */
export function consumersOf(ir: ModelIR): Map<string, string[]> {
  const map = new Map<string, string[]>(ir.nodes.map((n) => [n.name, []]));
  for (const n of ir.nodes) for (const i of n.inputs) map.get(i)?.push(n.name);
  return map;
}

export function nodeByName(ir: ModelIR): Map<string, IrNode> {
  return new Map(ir.nodes.map((n) => [n.name, n]));
}

/**
 * The IR up to (and including) `name`, with `name` as its only output (nodes are in
 * topological order, so this is everything `name` depends on, and maybe more).
 */
export function prefixTo(ir: ModelIR, name: string): ModelIR {
  const end = ir.nodes.findIndex((n) => n.name === name);
  const nodes = ir.nodes.slice(0, end + 1);
  return {
    nodes,
    inputs: ir.inputs.filter((i) => nodes.some((n) => n.name === i)),
    outputs: [name],
  };
}
