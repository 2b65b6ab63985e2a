/**
 * One quantization experiment, streamed: weight statistics first (milliseconds), then
 * activation calibration, then FP32-vs-quantized evaluation (accuracy, per-layer activation
 * SQNR, output SQNR), then optional per-layer and cumulative sensitivity (AIMET QuantAnalyzer).
 * Each stage sends the result so far; the measuring stages are in quantEvalStages.ts.
 */
import type * as tf from '@tensorflow/tfjs';
import { encodeConfig } from '@/config/codec';
import { formatQuantChoice } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import type { Encodings } from '@/quant/types';
import type { LabeledSet } from '../data/dataset';
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
import { evaluate, integer, sensitivity } from './quantEvalStages';
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
