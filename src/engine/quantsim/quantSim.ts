/**
 * The quantization simulation of one model under one config (AIMET's QuantizationSimModel
 * idea): fold BN and fuse activations (paper 1.7-1.8), quantize every kernel per its slot
 * (weight encodings from the folded weights), calibrate activation encodings, and build
 * executables with any subset of quantizers switched on (for per-layer sensitivity).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '@/config/schema';
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
import { planSlots, type SlotPlan } from './slots';

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
  build(enabled?: Enabled): Executable;
  dispose(): void;
}

export interface QuantSimOptions {
  onCalibrationBatch?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

/** Folds and quantizes the weights only (milliseconds): what a moving slider needs. */
export async function prepareWeights(
  model: tf.LayersModel,
  config: ExperimentConfig,
  rewrite?: IrRewrite,
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
  return { ir, record, plan, weights, bn };
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
  const fp = prepare(ir, { placement: [] });
  let activations: Map<string, Encodings>;
  try {
    activations = await calibrateActivations(fp, plan.activations, calibration, bn, {
      ...(options.onCalibrationBatch ? { onBatch: options.onCalibrationBatch } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    });
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
    build(enabled = all) {
      return prepare(ir, {
        weightTransform: (node, name, values) => {
          const w = weights.get(node.name);
          if (!w || !enabled.weights.has(node.name)) return values;
          if (name === 'kernel') return w.quantized;
          return name === 'bias' && w.bias ? w.bias : values;
        },
        activationTransform: (name, t) => {
          const enc = activations.get(name);
          return enc && enabled.activations.has(name) ? fakeQuantTensor(t, enc) : t;
        },
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
