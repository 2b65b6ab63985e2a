/**
 * Where cross-layer equalization applies (paper 3.2): weighted layers in a row where the output
 * channels of one are the input channels of the next, with only positive-homogeneous,
 * channel-wise functions between them (f(s·x) = s·f(x) for s > 0), so scaling channel i of the
 * first by 1/s_i and the matching input of the second by s_i leaves the FP32 model unchanged.
 *
 * Allowed between two layers: the first's fused ReLU; its fused ReLU6 per {@link Relu6Mode};
 * max / average pooling and zero padding (per channel, homogeneous); one Flatten right before a
 * Dense (Keras flattens NHWC row-major, so Dense row r reads channel r mod C). Anything else ends
 * the chain: an Add or Concatenate (a skip connection: the paper applies CLE only inside
 * residual blocks), a second reader, a model output, a reshape, a standalone BN.
 */
import { consumersOf, isWeighted, outChannels, type ModelIR, type WeightedNode } from '../model/ir';

/**
 * A fused ReLU6 between two layers. The paper (3.2) keeps piecewise-linear functions
 * equivariant by scaling their parameters: 'clip' turns the 6 into a per-channel bound 6/s_i
 * (the IR's `clip` weight, exact). 'relu' replaces ReLU6 by ReLU as AIMET's
 * `replace_relu6_with_relu` does (changes the FP32 model wherever a pre-activation exceeds 6).
 * 'skip' leaves such pairs alone.
 */
export type Relu6Mode = 'clip' | 'relu' | 'skip';

export interface CleLink {
  first: string;
  second: string;
  /** first's output channels; second's input channel (or Dense row after a Flatten) mod this. */
  channels: number;
  /** Shape-only nodes between them (pools, padding, flatten). */
  via: string[];
}

/** A chain of weighted layers, each linked to the next; `links[k]` joins layers k and k+1. */
export interface CleGroup {
  layers: string[];
  links: CleLink[];
}

const PASS_THROUGH = new Set(['maxPool2d', 'avgPool2d', 'globalAvgPool2d', 'zeroPadding2d']);

/** The node that `first` feeds and the link to it, or undefined when CLE cannot apply. */
function linkFrom(ir: ModelIR, first: WeightedNode, relu6: Relu6Mode): CleLink | undefined {
  if (first.config.activation === 'relu6' && relu6 === 'skip') return undefined;
  const readers = consumersOf(ir);
  const byName = new Map(ir.nodes.map((n) => [n.name, n]));
  const channels = outChannels(first);
  const via: string[] = [];
  let at: string = first.name;
  let flattenedFrom: number | undefined; // channels of the tensor a Flatten read
  for (;;) {
    const next = readers.get(at) ?? [];
    const node = next.length === 1 ? byName.get(next[0] ?? '') : undefined;
    if (!node || ir.outputs.includes(at) || node.inputs.length !== 1) return undefined;
    if (isWeighted(node)) {
      const shape = node.weights.kernel?.shape ?? [];
      const inputs = node.type === 'dense' ? shape[0] : shape[2];
      const fits =
        flattenedFrom === undefined
          ? inputs === channels
          : node.type === 'dense' && flattenedFrom === channels && (inputs ?? 0) % channels === 0;
      return fits ? { first: first.name, second: node.name, channels, via } : undefined;
    }
    if (flattenedFrom !== undefined) return undefined; // only a Dense may follow a Flatten
    if (node.type === 'flatten') {
      const shape = byName.get(at)?.outputShape ?? [];
      flattenedFrom = shape[shape.length - 1] ?? undefined;
    } else if (!PASS_THROUGH.has(node.type)) return undefined;
    via.push(node.name);
    at = node.name;
  }
}

/** The CLE chains of a folded IR, in topological order of their first layers. */
export function findCleGroups(ir: ModelIR, options: { relu6?: Relu6Mode } = {}): CleGroup[] {
  const relu6 = options.relu6 ?? 'clip';
  const links = ir.nodes
    .filter(isWeighted)
    .map((n) => linkFrom(ir, n, relu6))
    .filter((l): l is CleLink => l !== undefined);
  const from = new Map(links.map((l) => [l.first, l]));
  const seconds = new Set(links.map((l) => l.second));
  return links
    .filter((l) => !seconds.has(l.first))
    .map((head) => {
      const group: CleGroup = { layers: [head.first], links: [] };
      for (let l = from.get(head.first); l; l = from.get(l.second)) {
        group.links.push(l);
        group.layers.push(l.second);
      }
      return group;
    });
}

/**
 * Input channel of flat kernel element f (Keras layouts, see ir.ts): Dense row mod `channels`
 * (a Flatten before it), Conv2D [kh, kw, in, out] and depthwise [kh, kw, in, mult] axis 2.
 * @example depthwise [3, 3, 4, 2]: element 13 = (kh 0, kw 1, in 2, m 1) reads channel 2.
 */
export function inputChannelOf(node: WeightedNode, f: number, channels: number): number {
  const shape = node.weights.kernel?.shape ?? [];
  if (node.type === 'dense') return Math.floor(f / (shape[1] ?? 1)) % channels;
  return Math.floor(f / (shape[3] ?? 1)) % (shape[2] ?? 1);
}

/** max |w| per output channel: the paper's r_i of the first layer, and the box-plot data. */
export function outputRanges(kernel: ArrayLike<number>, channels: number): Float64Array {
  const r = new Float64Array(channels);
  for (let f = 0; f < kernel.length; f++) {
    const c = f % channels;
    r[c] = Math.max(r[c] ?? 0, Math.abs(kernel[f] ?? 0));
  }
  return r;
}

/** max |w| per input channel: the paper's r_i of the second layer. */
export function inputRanges(
  node: WeightedNode,
  kernel: ArrayLike<number>,
  channels: number,
): Float64Array {
  const r = new Float64Array(channels);
  for (let f = 0; f < kernel.length; f++) {
    const c = inputChannelOf(node, f, channels);
    r[c] = Math.max(r[c] ?? 0, Math.abs(kernel[f] ?? 0));
  }
  return r;
}
