/**
 * The mean output shift per channel, E[y_q − y_fp] (paper 3.3: the biased error that bias
 * correction removes), at chosen nodes of two executables run on the same batches. A node's
 * output is what the executor returns for it (after its fused activation).
 */
import * as tf from '@tensorflow/tfjs';
import type { LabeledSet } from '../data/dataset';
import { CancelledError } from '../eval/evaluate';
import { type IrNode, isWeighted, type ModelIR } from '../model/ir';
import type { Executable } from '../quantsim/execute';

/**
 * The same model with each weighted node's fused activation moved to its own node
 * `<name>:act`, so the weighted node outputs its pre-activation y = Wx + b: the paper's y, the
 * quantity bias correction makes unbiased (after a ReLU the noise itself shifts the mean, which
 * no bias can undo). Node names and weights are unchanged, so the same weightTransform applies.
 * A ReLU6 with a per-channel `clip` (after CLE) stays fused: a standalone node cannot hold it.
 */
export function withPreActivationOutputs(ir: ModelIR): ModelIR {
  const split = new Set(
    ir.nodes
      .filter((n) => isWeighted(n) && n.config.activation !== 'linear' && !n.weights.clip)
      .map((n) => n.name),
  );
  const rename = (n: string) => (split.has(n) ? `${n}:act` : n);
  const nodes = ir.nodes.flatMap((n): IrNode[] => {
    const m = { ...n, inputs: n.inputs.map(rename) } as IrNode;
    if (!split.has(n.name) || !isWeighted(m)) return [m];
    const act: IrNode = {
      name: `${n.name}:act`,
      type: 'activation',
      layer: n.layer,
      inputs: [n.name],
      outputShape: n.outputShape,
      config: { fn: m.config.activation },
      weights: {},
    };
    return [{ ...m, config: { ...m.config, activation: 'linear' } } as IrNode, act];
  });
  return { nodes, inputs: ir.inputs, outputs: ir.outputs.map(rename) };
}

export interface ShiftOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/** node → E[y_q − y_fp] per output channel (last axis), over images and spatial positions. */
export async function meanOutputShift(
  fp: Executable,
  q: Executable,
  set: LabeledSet,
  nodes: readonly string[],
  options: ShiftOptions = {},
): Promise<Map<string, Float64Array>> {
  const batchSize = options.batchSize ?? 250;
  const sums = new Map<string, Float64Array>();
  const rows = new Map<string, number>();
  for (let start = 0; start < set.count; start += batchSize) {
    if (options.shouldStop?.()) throw new CancelledError();
    const end = Math.min(set.count, start + batchSize);
    const { x } = set.batch(start, end);
    const a = fp.run(x, { collect: nodes });
    const b = q.run(x, { collect: nodes });
    const shapes: number[][] = [];
    const part = tf.tidy(() => {
      const perNode = nodes.map((n) => {
        const d = tf.sub(b.activations?.get(n) as tf.Tensor, a.activations?.get(n) as tf.Tensor);
        shapes.push(d.shape);
        return tf.sum(tf.reshape(d, [-1, d.shape[d.rank - 1] ?? 1]), 0);
      });
      return tf.concat(perNode.length ? perNode : [tf.zeros([0])]);
    });
    const owned = new Set<tf.Tensor>([x, part, ...a.outputs, ...b.outputs]);
    a.activations?.forEach((t) => owned.add(t));
    b.activations?.forEach((t) => owned.add(t));
    try {
      const values = await part.data();
      let at = 0;
      nodes.forEach((n, i) => {
        const shape = shapes[i] ?? [];
        const channels = shape[shape.length - 1] ?? 1;
        const sum = sums.get(n) ?? new Float64Array(channels);
        for (let c = 0; c < channels; c++) sum[c] = (sum[c] ?? 0) + (values[at + c] ?? 0);
        at += channels;
        sums.set(n, sum);
        rows.set(n, (rows.get(n) ?? 0) + shape.reduce((p, s) => p * s, 1) / channels);
      });
    } finally {
      owned.forEach((t) => t.dispose());
    }
    options.onProgress?.(end, set.count);
  }
  return new Map([...sums].map(([n, s]) => [n, s.map((v) => v / Math.max(1, rows.get(n) ?? 0))]));
}

/** Mean over channels of |E[Δy]|: the per-layer figure the PTQ report shows. */
export function meanAbs(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.abs(values[i] ?? 0);
  return values.length ? sum / values.length : 0;
}
