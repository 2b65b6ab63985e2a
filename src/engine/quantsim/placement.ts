/**
 * Where activation and weight quantizers sit in an IR (paper §1.6 Fig. 4b, §1.8–1.10):
 *
 * - the model input;
 * - each Dense / Conv2D / DepthwiseConv2D output, after its fused activation (§1.8: only the
 *   quantizer after the fused non-linearity is simulated);
 * - each Add and Concatenate output (§1.9: both need requantization);
 * - each standalone BatchNorm (not folded: it is an affine op of its own) and each standalone
 *   relu/relu6/tanh/sigmoid (§1.8: without fusing, a quantizer before — the producer's — and
 *   after);
 * - AveragePooling2D and GlobalAveragePooling2D outputs by default: §1.9 says the mean of
 *   integers is off the grid, so a quantizer is needed (it may share the input's range);
 *   pass `{avgPool: false}` to leave them unquantized.
 * Not quantized: max pooling, flatten, reshape, zero padding, dropout, linear activation (they
 * keep the input's grid, §1.9; zero padding needs a grid that holds 0 exactly, which every
 * affine grid with an integer zero-point does), and softmax: the logits feeding it are the last
 * quantized tensor and the probabilities stay float, as the classifier's final output.
 */
import { isWeighted, outChannels, type IrNode, type ModelIR } from '../model/ir';

export interface PlacementOptions {
  /** Quantize average-pooling outputs (paper §1.9); default true. */
  readonly avgPool?: boolean;
}

export function quantizesOutput(node: IrNode, options: PlacementOptions = {}): boolean {
  switch (node.type) {
    case 'input':
    case 'dense':
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'add':
    case 'concatenate':
    case 'batchNorm':
      return true;
    case 'activation':
      return node.config.fn !== 'softmax' && node.config.fn !== 'linear';
    case 'avgPool2d':
    case 'globalAvgPool2d':
      return options.avgPool ?? true;
    case 'maxPool2d':
    case 'flatten':
    case 'reshape':
    case 'zeroPadding2d':
    case 'dropout':
      return false;
  }
}

/** Names of the nodes whose output carries an activation quantizer, in topological order. */
export function activationQuantizers(ir: ModelIR, options: PlacementOptions = {}): string[] {
  return ir.nodes.filter((n) => quantizesOutput(n, options)).map((n) => n.name);
}

export interface WeightQuantizerSlot {
  readonly node: string;
  readonly weight: 'kernel';
  /** Output channels: per-channel quantizers use one scale per channel (paper §1.5). */
  readonly channels: number;
}

/**
 * The kernel of every Dense/Conv/Depthwise node is quantized (paper §1.6); biases stay in
 * high precision (INT32 on device), and a standalone BN's vectors are not quantized here.
 * The channel of flat kernel element i is i % channels (see ir.ts outChannels).
 */
export function weightQuantizers(ir: ModelIR): WeightQuantizerSlot[] {
  return ir.nodes
    .filter(isWeighted)
    .map((n) => ({ node: n.name, weight: 'kernel' as const, channels: outChannels(n) }));
}
