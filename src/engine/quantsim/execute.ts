/**
 * Float executor for the IR with quantization-simulation hooks (paper §1.6, Fig. 4b): weight
 * quantizers between the weights and the op (applied once, in `prepare`), activation
 * quantizers on the outputs listed by placement.ts (applied on every run).
 *
 * @example
 *   const exe = prepare(ir, { activationTransform: (name, t) => fakeQuant(t, enc.get(name)) });
 *   const { output } = exe.run(x); ... output.dispose(); exe.dispose();
 */
import * as tf from '@tensorflow/tfjs';
import type { IrNode, ModelIR, WeightName } from '../model/ir';
import { applyNode, fusibleActivation, type FusibleActivation, type NodeWeights } from './ops';
import { activationQuantizers } from './placement';

export interface QuantHooks {
  /** Replaces a weight's values (e.g. fake-quantized kernel); must keep the length. */
  readonly weightTransform?: (
    node: IrNode,
    name: WeightName,
    values: Float32Array,
    shape: readonly number[],
  ) => Float32Array;
  /**
   * Applied to the output of each node in `placement`; runs inside tf.tidy. With `fused`, `t`
   * is the node's output before its ReLU/ReLU6, which the transform must apply (fuseActivation).
   */
  readonly activationTransform?: (
    node: string,
    t: tf.Tensor,
    fused?: FusibleActivation,
  ) => tf.Tensor;
  /**
   * Nodes whose ReLU/ReLU6 the activation quantizer takes over (paper 2.3.2: "ReLU comes free"
   * as the clamp's lower bound), which saves an elementwise pass per quantizer.
   */
  readonly fuseActivation?: (node: string) => boolean;
  /** Nodes whose outputs activationTransform sees; default activationQuantizers(ir). */
  readonly placement?: readonly string[];
}

export interface RunOptions {
  /** Node outputs to return (after their activation quantizer), or 'all'. */
  readonly collect?: readonly string[] | 'all';
}

export interface RunResult {
  /** The first model output; the caller disposes it. */
  readonly output: tf.Tensor;
  readonly outputs: readonly tf.Tensor[];
  /** Requested node outputs; the caller disposes them (some may be `output` itself). */
  readonly activations?: Map<string, tf.Tensor>;
}

export interface Executable {
  readonly ir: ModelIR;
  /** `x` is [n, ...inputShape] (or one per model input); it is not disposed. */
  run(x: tf.Tensor | readonly tf.Tensor[], options?: RunOptions): RunResult;
  /** Frees the cached weight tensors. */
  dispose(): void;
}

/** Builds weight tensors once (through weightTransform) for repeated runs of `ir`. */
export function prepare(ir: ModelIR, hooks: QuantHooks = {}): Executable {
  const weights = new Map<string, NodeWeights>();
  for (const node of ir.nodes) {
    const own = new Map<WeightName, tf.Tensor>();
    for (const [name, w] of Object.entries(node.weights) as [
      WeightName,
      (typeof node.weights)[WeightName],
    ][]) {
      if (!w) continue;
      const values = hooks.weightTransform?.(node, name, w.values, w.shape) ?? w.values;
      if (values.length !== w.values.length) {
        throw new Error(`weightTransform changed the size of ${node.name}/${name}`);
      }
      own.set(name, tf.keep(tf.tensor(values, [...w.shape], 'float32')));
    }
    weights.set(node.name, own);
  }
  const placement = new Set(hooks.placement ?? activationQuantizers(ir));
  let disposed = false;
  return {
    ir,
    run(x, options = {}) {
      if (disposed) throw new Error('run() after dispose()');
      const inputs = Array.isArray(x) ? (x as readonly tf.Tensor[]) : [x as tf.Tensor];
      const collect =
        options.collect === 'all' ? ir.nodes.map((n) => n.name) : (options.collect ?? []);
      const results = tf
        .tidy(() => forward(ir, inputs, weights, placement, hooks, collect))
        .map((t) => (inputs.includes(t) ? t.clone() : t)); // the caller owns what is returned
      const outputs = results.slice(0, ir.outputs.length);
      const [output] = outputs;
      if (!output) throw new Error('The model has no output');
      if (collect.length === 0) return { output, outputs };
      const activations = new Map(
        collect.map((n, i) => [n, results[ir.outputs.length + i] as tf.Tensor]),
      );
      return { output, outputs, activations };
    },
    dispose() {
      disposed = true;
      for (const own of weights.values()) tf.dispose([...own.values()]);
      weights.clear();
    },
  };
}

export interface GraphOptions {
  /** Computes a node instead of applyNode (QAT: a conv with its BN in training mode). */
  readonly apply?: (node: IrNode, xs: readonly tf.Tensor[], w: NodeWeights) => tf.Tensor | null;
  /**
   * Free each intermediate after its last reader (default). Off under a gradient tape, where
   * the caller's tf.tidy frees them once the gradients are taken.
   */
  readonly free?: boolean;
}

/**
 * Runs the nodes in order on `inputs` (not disposed), with the given weight tensors and the
 * activation hook at `placement`; returns the model outputs, then the `collect` outputs.
 */
export function forward(
  ir: ModelIR,
  inputs: readonly tf.Tensor[],
  weights: ReadonlyMap<string, NodeWeights>,
  placement: ReadonlySet<string>,
  hooks: Pick<QuantHooks, 'activationTransform' | 'fuseActivation'>,
  collect: readonly string[],
  options: GraphOptions = {},
): tf.Tensor[] {
  const free = options.free ?? true;
  const keep = new Set([...ir.outputs, ...collect]);
  const readers = new Map<string, number>();
  for (const n of ir.nodes) for (const i of n.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const values = new Map<string, tf.Tensor>();
  const release = (name: string) => {
    const left = (readers.get(name) ?? 0) - 1;
    readers.set(name, left);
    const t = values.get(name);
    if (!free || left > 0 || keep.has(name) || !t) return;
    values.delete(name);
    // Identity ops share tensors; never free one still held elsewhere or owned by the caller.
    if (!inputs.includes(t) && ![...values.values()].includes(t)) t.dispose();
  };
  for (const node of ir.nodes) {
    let y: tf.Tensor;
    let fused: FusibleActivation | null = null;
    if (node.type === 'input') {
      const x = inputs[ir.inputs.indexOf(node.name)];
      if (!x) throw new Error(`No tensor given for model input ${node.name}`);
      y = x;
    } else {
      const xs = node.inputs.map((i) => values.get(i) as tf.Tensor);
      const w = weights.get(node.name) ?? new Map();
      fused =
        !options.apply && placement.has(node.name) && hooks.fuseActivation?.(node.name)
          ? fusibleActivation(node, w)
          : null;
      y = options.apply?.(node, xs, w) ?? applyNode(node, xs, w, fused !== null);
    }
    if (hooks.activationTransform && placement.has(node.name)) {
      const q = hooks.activationTransform(node.name, y, fused ?? undefined);
      if (free && q !== y && !inputs.includes(y) && ![...values.values()].includes(y)) y.dispose();
      y = q;
    }
    values.set(node.name, y);
    node.inputs.forEach(release); // after set: identity ops return their input tensor
  }
  return [...ir.outputs, ...collect].map((n) => {
    const t = values.get(n);
    if (!t) throw new Error(`Unknown node ${n}`);
    return t;
  });
}
