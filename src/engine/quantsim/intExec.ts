/**
 * The quantized model run on integer codes (paper §2.1, Eq. 1–3, Fig. 2): what an int8
 * accelerator computes, where quantSim's fake quantization only imitates it in float.
 *
 * - A Dense / Conv2D / DepthwiseConv2D node whose weights are quantized, whose input arrives as
 *   per-tensor codes and whose output has a per-tensor quantizer runs on the integer kernels:
 *   bias as int32 at scale s_w·s_x (round half to even), products summed in an accumulator of
 *   the configured width that wraps or saturates, then requantized with M_c = s_w,c·s_x/s_y
 *   (fixed point or float). A fused ReLU is the lower clamp at z_y, ReLU6 also clamps at the
 *   code of 6 (both exact: clamping commutes with monotone rounding).
 * - Max pooling, zero padding (with z_x: real 0), flatten, reshape and dropout act on codes.
 * - Everything else (average pooling, Add, Concatenate, standalone BN/activations, softmax, and
 *   any layer kept in FP32 or with per-channel activations) runs in float on dequantized codes
 *   and is quantized to its output grid again: the float requantization of §1.9. These nodes are
 *   listed in `floatNodes`.
 */
import * as tf from '@tensorflow/tfjs';
import type { IntegerConfig } from '@/config/schema';
import { quantize } from '@/quant/affine';
import { type AccStatsSummary, summarizeAccStats } from '@/quant/intArith';
import { roundHalfEven } from '@/quant/rounding';
import type { Encodings } from '@/quant/types';
import { isWeighted, outChannels, type IrNode, type WeightedNode } from '../model/ir';
import { dequantizeCodes, fakeQuantTensor, quantizeToCodes } from '../ops/fakeQuant';
import { qIntConv2D, qIntDense, qIntDepthwiseConv2D, qIntRequantize } from '../ops/intOps';
import { applyNode, type NodeWeights } from './ops';
import type { QuantSim } from './quantSim';

/** A node's output: integer codes on a per-tensor grid, or float values. */
export type IntValue = { codes: tf.Tensor; enc: Encodings } | { float: tf.Tensor };

interface IntNode {
  node: WeightedNode;
  wCodes: tf.Tensor;
  wZeroPoint: tf.Tensor1D;
  /** Weight scale per output channel (a per-tensor scale repeated). */
  wScale: Float64Array;
  bias: Float32Array | null;
  out: Encodings;
}

export interface IntRunResult {
  /** Every node's output; the caller disposes them with disposeValues. */
  values: Map<string, IntValue>;
  /** Accumulator statistics of this batch per integer node. */
  stats: Map<string, AccStatsSummary>;
  /**
   * Per integer node, the fake-quant simulation's codes for the same input codes (float op on
   * dequantized inputs and fake-quantized weights, then the output quantizer): what the
   * integer arithmetic must reproduce. Only with `{reference: true}`; the caller disposes them.
   */
  reference: Map<string, tf.Tensor>;
}

export interface IntExecutable {
  /** Nodes that run on the integer kernels. */
  readonly integerNodes: readonly string[];
  /** Nodes computed in float between dequantization and requantization. */
  readonly floatNodes: readonly string[];
  run(x: tf.Tensor, options?: { reference?: boolean }): Promise<IntRunResult>;
  dispose(): void;
}

const perTensor = (e: Encodings | undefined): e is Encodings => !!e && e.scale.length === 1;
const SHAPE_ONLY = new Set(['maxPool2d', 'zeroPadding2d', 'flatten', 'reshape', 'dropout']);

export function toFloat(v: IntValue): tf.Tensor {
  return 'float' in v ? v.float : dequantizeCodes(v.codes, v.enc);
}

export function disposeValues(values: Map<string, IntValue>): void {
  const seen = new Set<tf.Tensor>();
  for (const v of values.values()) seen.add('float' in v ? v.float : v.codes);
  tf.dispose([...seen]);
}

/** Whether `node`'s input reaches it as per-tensor codes, given which nodes make codes. */
function codesIn(ints: ReadonlySet<string>, node: IrNode): boolean {
  const src = node.inputs[0];
  return node.inputs.length === 1 && src !== undefined && ints.has(src);
}

/** Decides, in topological order, which nodes output codes and which weighted nodes run on integers. */
function plan(sim: QuantSim): { codes: Set<string>; integer: Set<string> } {
  const codes = new Set<string>();
  const integer = new Set<string>();
  for (const node of sim.ir.nodes) {
    const out = sim.activations.get(node.name);
    if (node.type === 'input') {
      if (perTensor(out)) codes.add(node.name);
    } else if (isWeighted(node)) {
      const ok =
        sim.weights.has(node.name) &&
        perTensor(out) &&
        codesIn(codes, node) &&
        (node.type !== 'dense' || node.outputShape.length === 2);
      if (ok) integer.add(node.name);
      if (perTensor(out)) codes.add(node.name);
    } else if (SHAPE_ONLY.has(node.type)) {
      if (codesIn(codes, node)) codes.add(node.name);
    } else if (perTensor(out)) codes.add(node.name);
  }
  return { codes, integer };
}

function intNode(sim: QuantSim, node: WeightedNode): IntNode {
  const w = sim.weights.get(node.name);
  const kernel = node.weights.kernel;
  const out = sim.activations.get(node.name);
  if (!w || !kernel || !out) throw new Error(`${node.name} cannot run on integers`);
  const e = w.encodings;
  const channels = outChannels(node);
  const codes = quantize(kernel.values, e);
  const zp = Int32Array.from(
    { length: channels },
    (_, c) => e.zeroPoint[e.zeroPoint.length > 1 ? c : 0] ?? 0,
  );
  return {
    node,
    wCodes: tf.keep(tf.tensor(codes, [...kernel.shape], 'int32')),
    wZeroPoint: tf.keep(tf.tensor1d(zp, 'int32')),
    wScale: Float64Array.from(
      { length: channels },
      (_, c) => e.scale[e.scale.length > 1 ? c : 0] ?? 1,
    ),
    bias: w.bias ?? node.weights.bias?.values ?? null,
    out,
  };
}

/** Float weights for the nodes computed in float (the fake-quantized kernel where quantized). */
function floatWeights(sim: QuantSim, node: IrNode): NodeWeights {
  const own = new Map<keyof IrNode['weights'], tf.Tensor>();
  for (const [name, w] of Object.entries(node.weights) as [
    keyof IrNode['weights'],
    { values: Float32Array; shape: readonly number[] },
  ][]) {
    const sw = sim.weights.get(node.name);
    const q = name === 'kernel' ? sw?.quantized : name === 'bias' ? sw?.bias : undefined;
    own.set(name, tf.keep(tf.tensor(q ?? w.values, [...w.shape], 'float32')));
  }
  return own;
}

/** acc = bias ⊕ Σ(x − z_x)(w − z_w), then requantized to the output grid. */
async function runInteger(
  n: IntNode,
  x: { codes: tf.Tensor; enc: Encodings },
  config: IntegerConfig,
): Promise<{ value: IntValue; stats: AccStatsSummary }> {
  const sx = x.enc.scale[0] ?? 1;
  const channels = n.wScale.length;
  const sy = n.out.scale[0] ?? 1;
  const zy = n.out.zeroPoint[0] ?? 0;
  // Bias at scale s_w·s_x (paper Eq. 1), within int32.
  const bias = Int32Array.from({ length: channels }, (_, c) => {
    const b = roundHalfEven((n.bias?.[c] ?? 0) / (n.wScale[c]! * sx));
    return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, b));
  });
  const multipliers = Array.from(n.wScale, (s) => (s * sx) / sy);
  const biasT = tf.tensor1d(bias, 'int32');
  const opts = {
    bias: biasT,
    wZeroPoint: n.wZeroPoint,
    xZeroPoint: x.enc.zeroPoint[0] ?? 0,
    accBits: config.accumulatorBits,
    overflow: config.overflow,
  };
  const { node } = n;
  let r;
  try {
    if (node.type === 'dense') r = qIntDense(x.codes as tf.Tensor2D, n.wCodes as tf.Tensor2D, opts);
    else {
      const conv = {
        ...opts,
        strides: [...node.config.strides] as [number, number],
        dilations: [...node.config.dilation] as [number, number],
        padding: node.config.padding,
      };
      r =
        node.type === 'conv2d'
          ? qIntConv2D(x.codes as tf.Tensor4D, n.wCodes as tf.Tensor4D, conv)
          : qIntDepthwiseConv2D(x.codes as tf.Tensor4D, n.wCodes as tf.Tensor4D, conv);
    }
  } finally {
    biasT.dispose();
  }
  const act = node.config.activation;
  // Fused activations as clamps on the output codes (fake quant: quantize(relu(y))).
  const qmin = act === 'linear' ? n.out.qmin : Math.max(n.out.qmin, zy);
  const six = roundHalfEven(Math.fround(6 * Math.fround(1 / sy))) + zy;
  const qmax = act === 'relu6' ? Math.min(n.out.qmax, six) : n.out.qmax;
  const clip = node.weights.clip?.values;
  try {
    const requantized = qIntRequantize(r.acc, multipliers, {
      mode: config.requantization === 'float' ? 'float' : 'fixedPoint',
      zeroPoint: zy,
      qmin: Math.min(qmin, qmax),
      qmax: clip ? n.out.qmax : qmax,
    });
    // A per-channel ReLU6 bound (after CLE) clamps each channel at the code of its bound.
    const codes = clip
      ? tf.tidy(() => {
          const q = Int32Array.from(
            clip,
            (c) => roundHalfEven(Math.fround(c * Math.fround(1 / sy))) + zy,
          );
          return tf.minimum(requantized, tf.tensor1d(q, 'int32'));
        })
      : requantized;
    if (codes !== requantized) requantized.dispose();
    const stats = summarizeAccStats((await r.stats.data()) as Int32Array, r.k);
    return { value: { codes, enc: n.out }, stats };
  } finally {
    tf.dispose([r.acc, r.stats]);
  }
}

function shapeOnly(node: IrNode, x: { codes: tf.Tensor; enc: Encodings }): tf.Tensor {
  const z = x.enc.zeroPoint[0] ?? 0;
  return tf.tidy(() => {
    if (node.type === 'maxPool2d') {
      // Max of codes = code of the max (monotone grid); codes are exact in float32.
      const { poolSize, strides, padding } = node.config;
      const f = tf.cast(x.codes, 'float32') as tf.Tensor4D;
      return tf.cast(tf.maxPool(f, [...poolSize], [...strides], padding), 'int32');
    }
    if (node.type === 'zeroPadding2d') {
      const [[t, b], [l, r]] = node.config.padding;
      return tf.pad(
        x.codes,
        [
          [0, 0],
          [t, b],
          [l, r],
          [0, 0],
        ],
        z,
      );
    }
    return applyNode(node, [x.codes], new Map());
  });
}

export function prepareInteger(sim: QuantSim, config: IntegerConfig): IntExecutable {
  const { codes, integer } = plan(sim);
  const ints = new Map<string, IntNode>();
  const floats = new Map<string, NodeWeights>();
  for (const node of sim.ir.nodes) {
    if (isWeighted(node) && integer.has(node.name)) ints.set(node.name, intNode(sim, node));
    if (Object.keys(node.weights).length) floats.set(node.name, floatWeights(sim, node));
  }
  const floatNodes = sim.ir.nodes
    .filter(
      (n) =>
        n.type !== 'input' &&
        !integer.has(n.name) &&
        !(SHAPE_ONLY.has(n.type) && codes.has(n.name)),
    )
    .map((n) => n.name);
  return {
    integerNodes: [...integer],
    floatNodes,
    async run(x, options = {}) {
      const values = new Map<string, IntValue>();
      const stats = new Map<string, AccStatsSummary>();
      const reference = new Map<string, tf.Tensor>();
      try {
        for (const node of sim.ir.nodes) {
          const enc = sim.activations.get(node.name);
          const first = node.type === 'input' ? undefined : values.get(node.inputs[0] ?? '');
          const n = ints.get(node.name);
          if (n && first && 'codes' in first) {
            if (options.reference)
              reference.set(
                node.name,
                tf.tidy(() =>
                  quantizeToCodes(
                    applyNode(node, [toFloat(first)], floats.get(node.name) ?? new Map()),
                    n.out,
                  ),
                ),
              );
            const r = await runInteger(n, first, config);
            values.set(node.name, r.value);
            stats.set(node.name, r.stats);
          } else if (
            first &&
            'codes' in first &&
            SHAPE_ONLY.has(node.type) &&
            codes.has(node.name)
          ) {
            values.set(node.name, { codes: shapeOnly(node, first), enc: first.enc });
          } else {
            const t = tf.tidy(() => {
              const f =
                node.type === 'input'
                  ? x.clone()
                  : applyNode(
                      node,
                      node.inputs.map((i) => toFloat(values.get(i) as IntValue)),
                      floats.get(node.name) ?? new Map(),
                    );
              if (!enc) return f;
              return perTensor(enc) ? quantizeToCodes(f, enc) : fakeQuantTensor(f, enc);
            });
            values.set(node.name, perTensor(enc) ? { codes: t, enc } : { float: t });
          }
        }
      } catch (e) {
        disposeValues(values);
        tf.dispose([...reference.values()]);
        throw e;
      }
      return { values, stats, reference };
    },
    dispose() {
      for (const n of ints.values()) tf.dispose([n.wCodes, n.wZeroPoint]);
      for (const w of floats.values()) tf.dispose([...w.values()]);
      ints.clear();
      floats.clear();
    },
  };
}
