/**
 * The quantization simulation of one model under one config (AIMET's QuantizationSimModel
 * idea): fold BN and fuse activations (paper 1.7-1.8), quantize every kernel per its slot
 * (weight encodings from the folded weights), calibrate activation encodings, and build
 * executables with any subset of quantizers switched on (for per-layer sensitivity).
 */
import type * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import type { ExperimentConfig } from '@/config/schema';
import { fakeQuant } from '@/quant/affine';
import { sqnrDb } from '@/quant/metrics';
import { resolveQuantizer } from '@/quant/resolve';
import type { Encodings } from '@/quant/types';
import type { LabeledSet } from '../data/dataset';
import { foldModel, type FoldRecord } from '../model/fold';
import { importModel } from '../model/graph';
import { isWeighted, type IrNode, type ModelIR, outChannels } from '../model/ir';
import { fakeQuantTensor } from '../ops/fakeQuant';
import { type BnInfo, calibrateActivations } from './calibrate';
import { type Executable, prepare } from './execute';
import { planSlots, type Slot, type SlotPlan } from './slots';

export interface WeightQuantResult {
  encodings: Encodings;
  /** Fake-quantized kernel values (round to nearest, or AdaRound's choice). */
  quantized: Float32Array;
  sqnrDb: number;
  /** The quantized model's bias when bias correction changed it (paper 3.3). */
  bias?: Float32Array;
}

/** FP32-preserving rewrites of the folded IR before quantizers are placed (CLE, bias absorption). */
export type IrRewrite = (
  ir: ModelIR,
  bn: Map<string, BnInfo>,
) => { ir: ModelIR; bn: Map<string, BnInfo> };

/** Which quantizers a built executable applies; omitted = all configured ones. */
export interface Enabled {
  weights: ReadonlySet<string>;
  activations: ReadonlySet<string>;
}

export interface QuantSim {
  readonly ir: ModelIR;
  readonly fold: FoldRecord;
  readonly plan: SlotPlan;
  readonly weights: ReadonlyMap<string, WeightQuantResult>;
  readonly activations: ReadonlyMap<string, Encodings>;
  /** The folded model in float: the reference every quantized run is compared with. */
  readonly fp: Executable;
  /**
   * The quantized model with the enabled quantizers. `fuse` (default true): a quantizer after a
   * ReLU/ReLU6 applies it in its clamp (paper 2.3.2), the same numbers with one pass fewer;
   * false keeps the separate activation op (a cross-check of the fusion).
   */
  build(enabled?: Enabled, fuse?: boolean): Executable;
  dispose(): void;
}

export interface QuantSimOptions {
  onCalibrationBatch?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
  /** Activation encodings decided elsewhere: these nodes are not calibrated. */
  fixedActivations?: ReadonlyMap<string, Encodings>;
}

/**
 * Encodings decided elsewhere (e.g. an exported QAT run, read back from its AIMET file), by
 * node: a quantized slot with one uses it instead of range setting.
 */
export interface FixedEncodings {
  readonly weights: ReadonlyMap<string, Encodings>;
  readonly activations: ReadonlyMap<string, Encodings>;
}

/**
 * Folds and quantizes the weights only (milliseconds): what a moving slider needs. A kernel
 * with a fixed encoding is fake-quantized with it (quant/affine.ts); `fixed.activations` are
 * checked here (their warnings join the plan's) and used by createQuantSim.
 */
export async function prepareWeights(
  model: tf.LayersModel,
  config: ExperimentConfig,
  rewrite?: IrRewrite,
  fixed?: FixedEncodings,
) {
  const original = await importModel(model);
  const folded = foldModel(original);
  const record = folded.record;
  const base = { ir: folded.ir, bn: bnInfo(original, folded.ir, record) };
  const { ir, bn } = rewrite ? rewrite(base.ir, base.bn) : base;
  const plan = planSlots(ir, config, new Set(bn.keys()));
  const nodes = new Map(ir.nodes.map((n) => [n.name, n]));
  const weights = new Map<string, WeightQuantResult>();
  for (const slot of plan.weights) {
    const node = nodes.get(slot.node);
    const kernel = node?.weights.kernel;
    if (!slot.spec || !node || !kernel || !isWeighted(node)) continue;
    const given = fixed?.weights.get(slot.node);
    if (given) {
      const encodings = fixedFor(slot, 'weight', given, outChannels(node), plan.warnings);
      const quantized = fakeQuant(kernel.values, encodings);
      weights.set(slot.node, { encodings, quantized, sqnrDb: sqnrDb(kernel.values, quantized) });
      continue;
    }
    const q = resolveQuantizer(slot.spec, {
      data: kernel.values,
      layout: { channels: outChannels(node), inner: 1 },
    });
    const quantized = q.fakeQuant(kernel.values);
    weights.set(slot.node, {
      encodings: q.encodings,
      quantized,
      sqnrDb: sqnrDb(kernel.values, quantized),
    });
  }
  if (fixed) {
    checkFixedNodes(fixed.weights, plan.weights, 'weight', plan.warnings);
    checkFixedNodes(fixed.activations, plan.activations, 'activation', plan.warnings);
    for (const slot of plan.activations) {
      const given = fixed.activations.get(slot.node);
      const channels = nodes.get(slot.node)?.outputShape.at(-1) ?? 0;
      if (given && slot.spec) fixedFor(slot, 'activation', given, channels, plan.warnings);
    }
  }
  return { ir, record, plan, weights, bn };
}

/**
 * A fixed encoding checked against its tensor (one channel, or one per output channel: the
 * last axis, inner 1, as every kernel and activation layout here) and the slot's configured
 * bits; a different bit-width is used, with a warning.
 */
function fixedFor(
  slot: Slot,
  kind: 'weight' | 'activation',
  given: Encodings,
  channels: number,
  warnings?: string[],
): Encodings {
  const n = given.scale.length;
  if (n !== 1 && n !== channels)
    throw playgroundError('FIXED_ENCODING', {
      node: slot.node,
      kind,
      detail: `it has ${n} channels, but the ${kind === 'weight' ? 'kernel' : 'output'} has ${channels} (or 1 per tensor)`,
    });
  const bits = slot.spec?.bits;
  if (warnings && bits !== undefined && bits !== given.bitwidth)
    warnings.push(
      `${slot.node} ${kind}s: the fixed encoding has ${given.bitwidth} bits where the config says ${bits}; the fixed encoding was used.`,
    );
  return { ...given, layout: { channels: n, inner: 1 } };
}

/** Fixed encodings for nodes without such a slot are errors; for FP32 slots, warnings. */
function checkFixedNodes(
  fixed: ReadonlyMap<string, Encodings>,
  slots: readonly Slot[],
  kind: 'weight' | 'activation',
  warnings: string[],
): void {
  const byNode = new Map(slots.map((s) => [s.node, s]));
  for (const node of fixed.keys()) {
    const slot = byNode.get(node);
    if (!slot)
      throw playgroundError('FIXED_ENCODING', {
        node,
        kind,
        detail: `the model has no ${kind} quantizer at "${node}"`,
      });
    if (!slot.spec)
      warnings.push(`${node} ${kind}s: configured as FP32, so the fixed encoding was not used.`);
  }
}

export type PreparedWeights = Awaited<ReturnType<typeof prepareWeights>>;

/**
 * Prepared weights with some kernels replaced (AdaRound) or biases corrected; the SQNR of a
 * replaced kernel is measured again against the folded FP32 kernel.
 */
export function withWeights(
  prepared: PreparedWeights,
  updates: ReadonlyMap<string, { quantized?: Float32Array; bias?: Float32Array }>,
): PreparedWeights {
  const weights = new Map(prepared.weights);
  for (const [node, u] of updates) {
    const w = weights.get(node);
    const kernel = prepared.ir.nodes.find((n) => n.name === node)?.weights.kernel;
    if (!w || !kernel) continue;
    const quantized = u.quantized ?? w.quantized;
    weights.set(node, {
      ...w,
      quantized,
      sqnrDb: u.quantized ? sqnrDb(kernel.values, quantized) : w.sqnrDb,
      ...(u.bias ? { bias: u.bias } : {}),
    });
  }
  return { ...prepared, weights };
}

/** Calibrates activations on top of prepared weights and returns the simulation. */
export async function createQuantSim(
  prepared: PreparedWeights,
  calibration: LabeledSet,
  options: QuantSimOptions = {},
): Promise<QuantSim> {
  const { ir, record, plan, weights, bn } = prepared;
  const nodes = new Map(ir.nodes.map((n) => [n.name, n]));
  const fixed = new Map<string, Encodings>();
  if (options.fixedActivations)
    checkFixedNodes(options.fixedActivations, plan.activations, 'activation', []);
  for (const slot of plan.activations) {
    const given = options.fixedActivations?.get(slot.node);
    const channels = nodes.get(slot.node)?.outputShape.at(-1) ?? 0;
    if (given && slot.spec) fixed.set(slot.node, fixedFor(slot, 'activation', given, channels));
  }
  const fp = prepare(ir, { placement: [] });
  let activations: Map<string, Encodings>;
  try {
    const toCalibrate = plan.activations.filter((s) => !fixed.has(s.node));
    const calibrated = await calibrateActivations(fp, toCalibrate, calibration, bn, {
      ...(options.onCalibrationBatch ? { onBatch: options.onCalibrationBatch } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    });
    // In placement order, as calibration alone returns them.
    activations = new Map();
    for (const s of plan.activations) {
      const enc = fixed.get(s.node) ?? calibrated.get(s.node);
      if (enc) activations.set(s.node, enc);
    }
  } catch (e) {
    fp.dispose();
    throw e;
  }
  const all: Enabled = {
    weights: new Set(weights.keys()),
    activations: new Set(activations.keys()),
  };
  return {
    ir,
    fold: record,
    plan,
    weights,
    activations,
    fp,
    build(enabled = all, fuse = true) {
      const encodingOf = (name: string) =>
        enabled.activations.has(name) ? activations.get(name) : undefined;
      return prepare(ir, {
        weightTransform: (node, name, values) => {
          const w = weights.get(node.name);
          if (!w || !enabled.weights.has(node.name)) return values;
          if (name === 'kernel') return w.quantized;
          return name === 'bias' && w.bias ? w.bias : values;
        },
        activationTransform: (name, t, fused) => {
          const enc = encodingOf(name);
          return enc ? fakeQuantTensor(t, enc, fused) : t;
        },
        // Only where the transform quantizes: it must then apply the activation it was handed.
        fuseActivation: (name) => fuse && encodingOf(name) !== undefined,
        placement: [...activations.keys()],
      });
    },
    dispose: () => fp.dispose(),
  };
}

/** BN statistics of each batch norm folded into a node, with the activation fused after it. */
function bnInfo(original: ModelIR, folded: ModelIR, record: FoldRecord): Map<string, BnInfo> {
  const byName = (ir: ModelIR) => new Map<string, IrNode>(ir.nodes.map((n) => [n.name, n]));
  const before = byName(original);
  const after = byName(folded);
  const out = new Map<string, BnInfo>();
  for (const { batchNorm, into } of record.foldedBatchNorms) {
    const bnNode = before.get(batchNorm);
    const target = after.get(into);
    const gamma = bnNode?.weights.gamma?.values;
    const beta = bnNode?.weights.beta?.values;
    if (!bnNode || !target || !isWeighted(target)) continue;
    const channels = bnNode.weights.movingMean?.values.length ?? 0;
    out.set(into, {
      gamma: gamma ?? new Float32Array(channels).fill(1),
      beta: beta ?? new Float32Array(channels),
      fused: target.config.activation,
    });
  }
  return out;
}
