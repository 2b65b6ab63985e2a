/**
 * The cost of a mixed-precision configuration, computed from bit-widths alone (no tensors):
 * model size (kernel elements × weight bits), bit-operations (BOPs = MACs × b_w × b_a, the
 * measure AIMET's automatic mixed precision and the mixed-precision literature use) and the
 * accumulator width a layer needs so that no exact partial sum can overflow (paper 2.1: "it is
 * important to maintain a higher bit-width for the accumulators").
 */

/** A float (unquantized) slot counts as 32 bits in size and BOPs. */
export const FP32_BITS = 32;

/** One multiply-accumulate layer (Dense, Conv2D, DepthwiseConv2D) as the cost model sees it. */
export interface CostLayer {
  node: string;
  /** Multiply-accumulates per example. */
  macs: number;
  /** Kernel elements (biases stay 32-bit on device and are not counted). */
  weights: number;
  /** Products summed into one output (Dense: in; Conv2D: kh·kw·in; depthwise: kh·kw). */
  fanIn: number;
  /** The activation quantizer whose codes feed this layer's MACs; null: its input is float. */
  input: string | null;
}

/** Bits per weight slot and per activation slot, by node; a missing node is FP32. */
export interface BitWidths {
  weights: Readonly<Record<string, number>>;
  activations: Readonly<Record<string, number>>;
}

export interface LayerCost {
  node: string;
  weightBits: number;
  inputBits: number;
  sizeBits: number;
  bops: number;
  /** Signed accumulator width with no possible overflow; null when either side is float. */
  accumulatorBits: number | null;
}

export interface ConfigCost {
  sizeBits: number;
  bops: number;
  /** The widest accumulator any integer layer needs; null when no layer is integer. */
  maxAccumulatorBits: number | null;
  layers: LayerCost[];
}

/**
 * Worst-case accumulator width: a b_w-bit signed weight times a b_a-bit activation code is
 * below 2^(b_w+b_a−1) in magnitude, so a sum of K of them fits b_w + b_a + ⌈log2 K⌉ signed
 * bits. It bounds the exact-sum width the integer path measures (quant/intArith.ts
 * `bitsNeeded`, the layer table's "bits needed"), bias excluded.
 * @example accumulatorBits(8, 8, 9) === 20 // cnn conv1 (3×3×1); the 32-bit run measured 18
 */
export function accumulatorBits(weightBits: number, activationBits: number, fanIn: number): number {
  return weightBits + activationBits + Math.ceil(Math.log2(Math.max(1, fanIn)));
}

const bitsOf = (table: Readonly<Record<string, number>>, node: string | null) =>
  node === null ? FP32_BITS : (table[node] ?? FP32_BITS);

/**
 * @example configCost([{ node: 'd', macs: 100, weights: 100, fanIn: 10, input: 'in' }],
 *   { weights: { d: 4 }, activations: { in: 8 } }) -> sizeBits 400, bops 3200, accumulator 16
 */
export function configCost(layers: readonly CostLayer[], bits: BitWidths): ConfigCost {
  const out: LayerCost[] = layers.map((l) => {
    const weightBits = bitsOf(bits.weights, l.node);
    const inputBits = bitsOf(bits.activations, l.input);
    const float = weightBits >= FP32_BITS || inputBits >= FP32_BITS;
    return {
      node: l.node,
      weightBits,
      inputBits,
      sizeBits: l.weights * weightBits,
      bops: l.macs * weightBits * inputBits,
      accumulatorBits: float ? null : accumulatorBits(weightBits, inputBits, l.fanIn),
    };
  });
  const widths = out.flatMap((l) => (l.accumulatorBits === null ? [] : [l.accumulatorBits]));
  return {
    sizeBits: out.reduce((s, l) => s + l.sizeBits, 0),
    bops: out.reduce((s, l) => s + l.bops, 0),
    maxAccumulatorBits: widths.length ? Math.max(...widths) : null,
    layers: out,
  };
}
