/**
 * Multiply-accumulates per image and parameter counts per IR node, for the UI's layer table.
 * Only Dense / Conv2D / DepthwiseConv2D count MACs; BN, pooling and element-wise ops are
 * reported as 0 (they are cheap, and folded BNs disappear, paper §1.7).
 */
import type { IrNode, ModelIR } from './ir';

export interface NodeCost {
  /** Multiply-accumulates for one input example. */
  readonly macs: number;
  /** Weight elements, BN moving statistics included (as Keras countParams). */
  readonly params: number;
}

const product = (xs: readonly (number | null)[]) => xs.reduce<number>((a, b) => a * (b ?? 1), 1);

/**
 * @example a 3×3 Conv2D from 2 to 4 channels with a 4×4 output: 4·4·4 · 3·3·2 = 1152 MACs.
 */
export function nodeCost(node: IrNode): NodeCost {
  const params = Object.values(node.weights).reduce((n, w) => n + (w?.values.length ?? 0), 0);
  const kernel = node.weights.kernel?.shape ?? [];
  const outputs = product(node.outputShape.slice(1));
  switch (node.type) {
    case 'dense':
    case 'conv2d':
      // Each output element sums over the kernel's all-but-last dims (in, or kh·kw·in).
      return { macs: outputs * product(kernel.slice(0, -1)), params };
    case 'depthwiseConv2d':
      return { macs: outputs * product(kernel.slice(0, 2)), params };
    default:
      return { macs: 0, params };
  }
}

/** Totals; a shared layer's calls share weight arrays, which are counted once. */
export function modelCost(ir: ModelIR): NodeCost {
  const seen = new Set<Float32Array>();
  const fresh = (n: IrNode): IrNode => {
    const weights = Object.fromEntries(
      Object.entries(n.weights).filter(([, w]) => w && !seen.has(w.values)),
    );
    for (const w of Object.values(n.weights)) if (w) seen.add(w.values);
    return { ...n, weights } as IrNode;
  };
  return ir.nodes
    .map((n) => nodeCost(fresh(n)))
    .reduce((a, b) => ({ macs: a.macs + b.macs, params: a.params + b.params }), {
      macs: 0,
      params: 0,
    });
}
