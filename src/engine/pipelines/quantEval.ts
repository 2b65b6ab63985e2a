/**
 * One quantization experiment, streamed: weight statistics first (milliseconds), then
 * activation calibration, then FP32-vs-quantized evaluation (accuracy, per-layer activation
 * SQNR, output SQNR), then optional per-layer and cumulative sensitivity (AIMET QuantAnalyzer).
 * Each stage sends the result so far.
 */
import type * as tf from '@tensorflow/tfjs';
import { encodeConfig } from '@/config/codec';
import { formatQuantChoice } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import type { Encodings } from '@/quant/types';
import type { LabeledSet } from '../data/dataset';
import { compareRuns } from '../eval/compare';
import { evaluateInteger } from '../eval/integerEval';
import type {
  BackendName,
  EncodingSummary,
  LayerReport,
  Progress,
  QuantResult,
  QuantUpdate,
} from '../events';
import {
  createQuantSim,
  type FixedEncodings,
  type PreparedWeights,
  prepareWeights,
  type QuantSim,
} from '../quantsim/quantSim';
import { hasPtqSteps, preparePtq } from './ptq';
import { softmaxInput } from '../quantsim/slots';
import type { ModelIR } from '../model/ir';
import { planCost } from '../search/space';

export interface QuantEvalInput {
  modelId: string;
  backend: BackendName;
  model: tf.LayersModel;
  config: ExperimentConfig;
  calibration: LabeledSet;
  evaluation: LabeledSet;
  sensitivity: boolean;
  /**
   * Encodings to use instead of range setting (an exported QAT run read back): the model is
   * then taken as finished, so the config's PTQ steps are not run again.
   */
  fixedEncodings?: FixedEncodings;
  onUpdate?: (u: QuantUpdate) => void;
  shouldStop?: () => boolean;
  /**
   * Sees the prepared (folded, rewritten) model once its weights are final (charts), and its
   * quantized weights (the PTQ export, export/ptqExport.ts).
   */
  onPrepared?: (ir: ModelIR, prepared: PreparedWeights) => void;
  /** Runs on the calibrated simulation before evaluation (charts: decision boundaries). */
  inspect?: (sim: QuantSim) => Promise<void>;
}

export function summarize(e: Encodings): EncodingSummary {
  return {
    bitwidth: e.bitwidth,
    scheme: e.scheme,
    granularity: e.granularity,
    isSymmetric: e.isSymmetric,
    qmin: e.qmin,
    qmax: e.qmax,
    scale: Array.from(e.scale),
    zeroPoint: Array.from(e.zeroPoint),
    min: Array.from(e.min),
    max: Array.from(e.max),
  };
}

export async function runQuantEval(input: QuantEvalInput): Promise<QuantResult> {
  const { config, shouldStop } = input;
  const stopOpt = shouldStop ? { shouldStop } : {};
  const t0 = performance.now();
  const fixed = input.fixedEncodings;
  let prepared = await prepareWeights(input.model, config, undefined, fixed);
  const wSlots = new Map(prepared.plan.weights.map((s) => [s.node, s]));
  const aSlots = new Map(prepared.plan.activations.map((s) => [s.node, s]));
  const layers: LayerReport[] = prepared.ir.nodes
    .filter((n) => wSlots.has(n.name) || aSlots.has(n.name))
    .map((n) => {
      const w = wSlots.get(n.name);
      const a = aSlots.get(n.name);
      const wq = prepared.weights.get(n.name);
      return {
        node: n.name,
        layer: n.layer,
        type: n.type,
        outputShape: [...n.outputShape],
        weight: w
          ? {
              choice: formatQuantChoice(w.choice),
              sqnrDb: wq?.sqnrDb ?? null,
              encoding: wq ? summarize(wq.encodings) : null,
            }
          : null,
        activation: a
          ? { choice: formatQuantChoice(a.choice), sqnrDb: null, encoding: null }
          : null,
        sensitivity: null,
        cumulative: null,
        integer: null,
      };
    });
  const result: QuantResult = {
    modelId: input.modelId,
    backend: input.backend,
    link: encodeConfig(config),
    stage: 'weights',
    count: input.evaluation.count,
    fp32Accuracy: null,
    quantAccuracy: null,
    outputSqnrDb: null,
    layers,
    folded: {
      batchNorms: prepared.record.foldedBatchNorms.map((f) => ({ ...f })),
      activations: prepared.record.fusedActivations.map(({ activation, into }) => ({
        activation,
        into,
      })),
    },
    warnings: [
      ...prepared.plan.warnings,
      ...(fixed && hasPtqSteps(config)
        ? ['PTQ steps were not run: with fixed encodings the model is taken as finished.']
        : []),
    ],
    integer: null,
    ptq: null,
    cost: planCost(prepared.ir, prepared.plan),
    millis: { weights: performance.now() - t0, calibration: 0, evaluation: 0, sensitivity: 0 },
  };
  const send = (progress: Progress) =>
    input.onUpdate?.({ progress, result: structuredClone(result) });
  input.onPrepared?.(prepared.ir, prepared);
  send({ phase: 'Weights quantized', done: 1, total: 1 });

  if (hasPtqSteps(config) && !fixed) {
    result.stage = 'ptq';
    const ptq = await preparePtq({
      model: input.model,
      config,
      calibration: input.calibration,
      evaluation: input.evaluation,
      ...stopOpt,
      onProgress: (p, report) => {
        result.ptq = report;
        send(p);
      },
    });
    prepared = ptq.prepared;
    result.ptq = ptq.report;
    input.onPrepared?.(prepared.ir, prepared);
    for (const l of layers) {
      const wq = prepared.weights.get(l.node);
      if (l.weight && wq) {
        l.weight.sqnrDb = wq.sqnrDb;
        l.weight.encoding = summarize(wq.encodings);
      }
    }
  }

  const t1 = performance.now();
  result.stage = 'calibrating';
  const sim = await createQuantSim(prepared, input.calibration, {
    ...stopOpt,
    ...(fixed ? { fixedActivations: fixed.activations } : {}),
    onCalibrationBatch: (done, total) => send({ phase: 'Calibrating activations', done, total }),
  });
  try {
    for (const l of layers) {
      const enc = sim.activations.get(l.node);
      if (l.activation && enc) l.activation.encoding = summarize(enc);
    }
    result.millis.calibration = performance.now() - t1;
    await input.inspect?.(sim);
    await evaluate(sim, input, result, send);
    if (config.integer.enabled) await integer(sim, input, result, send);
    if (input.sensitivity) await sensitivity(sim, input, result, send);
  } finally {
    sim.dispose();
  }
  result.stage = 'done';
  send({ phase: 'Done', done: 1, total: 1 });
  return result;
}

function outputNode(sim: QuantSim): string {
  return softmaxInput(sim.ir) ?? (sim.ir.outputs[0] as string);
}

async function evaluate(
  sim: QuantSim,
  input: QuantEvalInput,
  result: QuantResult,
  send: (p: Progress) => void,
): Promise<void> {
  const t = performance.now();
  result.stage = 'evaluating';
  const out = outputNode(sim);
  const nodes = [...new Set([...sim.activations.keys(), out])];
  const q = sim.build();
  try {
    const r = await compareRuns(sim.fp, q, input.evaluation, nodes, {
      ...(input.shouldStop ? { shouldStop: input.shouldStop } : {}),
      onProgress: (done, total) => send({ phase: 'Evaluating FP32 and quantized', done, total }),
    });
    result.fp32Accuracy = r.fpCorrect / Math.max(1, r.count);
    result.quantAccuracy = r.qCorrect / Math.max(1, r.count);
    result.outputSqnrDb = r.sqnrDb.get(out) ?? null;
    for (const l of result.layers) {
      if (l.activation && sim.activations.has(l.node))
        l.activation.sqnrDb = r.sqnrDb.get(l.node) ?? null;
    }
  } finally {
    q.dispose();
  }
  result.millis.evaluation = performance.now() - t;
}

/** The integer path (paper 2.1) on the evaluation set, beside FP32 and fake quant. */
async function integer(
  sim: QuantSim,
  input: QuantEvalInput,
  result: QuantResult,
  send: (p: Progress) => void,
): Promise<void> {
  const t = performance.now();
  result.stage = 'integer';
  const cfg = input.config.integer;
  const r = await evaluateInteger(sim, cfg, input.evaluation, outputNode(sim), {
    ...(input.shouldStop ? { shouldStop: input.shouldStop } : {}),
    onProgress: (done, total) => send({ phase: 'Integer path', done, total }),
  });
  let equal = 0;
  let total = 0;
  let maxStep = 0;
  for (const l of result.layers) {
    const s = r.stats.get(l.node);
    const a = r.agreement.get(l.node);
    if (a) {
      equal += a.equal;
      total += a.total;
      maxStep = Math.max(maxStep, a.maxStepDifference);
    }
    if (!s) continue;
    l.integer = {
      maxAbsAccumulator: s.maxAbs,
      bitsNeeded: s.bitsNeeded,
      headroomBits: cfg.accumulatorBits - s.bitsNeeded,
      overflowFraction: s.events / Math.max(1, s.outputs * s.steps),
      outputsOverflowedFraction: s.outputsWithEvents / Math.max(1, s.outputs),
      codeAgreement: a
        ? { equalFraction: a.equal / Math.max(1, a.total), maxStepDifference: a.maxStepDifference }
        : null,
    };
  }
  result.integer = {
    accumulatorBits: cfg.accumulatorBits,
    overflow: cfg.overflow,
    requantization: cfg.requantization,
    accuracy: r.correct / Math.max(1, r.count),
    outputSqnrDb: r.outputSqnrDb,
    codeAgreement: { equalFraction: equal / Math.max(1, total), maxStepDifference: maxStep },
    integerNodes: [...r.integerNodes],
    floatNodes: [...r.floatNodes],
    millis: performance.now() - t,
  };
}

/** Per layer: only that layer's quantizers on; and cumulatively, layers 1..i on. */
async function sensitivity(
  sim: QuantSim,
  input: QuantEvalInput,
  result: QuantResult,
  send: (p: Progress) => void,
): Promise<void> {
  const t = performance.now();
  result.stage = 'sensitivity';
  const out = outputNode(sim);
  const groups = result.layers.map((l) => l.node);
  const total = groups.length * 2;
  let done = 0;
  const runWith = async (members: readonly string[]) => {
    const has = (m: ReadonlyMap<string, unknown>) => new Set(members.filter((n) => m.has(n)));
    const q = sim.build({ weights: has(sim.weights), activations: has(sim.activations) });
    try {
      const r = await compareRuns(
        sim.fp,
        q,
        input.evaluation,
        [out],
        input.shouldStop ? { shouldStop: input.shouldStop } : {},
      );
      return {
        accuracy: r.qCorrect / Math.max(1, r.count),
        outputSqnrDb: r.sqnrDb.get(out) ?? Infinity,
      };
    } finally {
      q.dispose();
    }
  };
  for (const [i, layer] of result.layers.entries()) {
    layer.sensitivity = await runWith([layer.node]);
    send({ phase: 'Per-layer sensitivity', done: ++done, total });
    layer.cumulative = await runWith(groups.slice(0, i + 1));
    send({ phase: 'Per-layer sensitivity', done: ++done, total });
  }
  result.millis.sensitivity = performance.now() - t;
}
