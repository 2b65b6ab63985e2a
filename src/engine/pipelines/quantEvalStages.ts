/**
 * The measuring stages of one quantization experiment (quantEval.ts), each on the calibrated
 * simulation and each filling its part of the streamed result: FP32-vs-quantized evaluation
 * (accuracy, per-layer activation SQNR, output SQNR), the integer path (paper 2.1), and
 * per-layer and cumulative sensitivity (AIMET QuantAnalyzer; paper 3.7 step 5: one layer's
 * quantizers on, the rest in FP32).
 */
import type { ExperimentConfig } from '@/config/schema';
import type { LabeledSet } from '../data/dataset';
import { compareRuns } from '../eval/compare';
import { evaluateInteger } from '../eval/integerEval';
import type { Progress, QuantResult } from '../events';
import type { QuantSim } from '../quantsim/quantSim';
import { softmaxInput } from '../quantsim/slots';

/** What the stages read of the experiment's input (quantEval.ts QuantEvalInput). */
export interface StageInput {
  config: ExperimentConfig;
  evaluation: LabeledSet;
  shouldStop?: () => boolean;
}

function outputNode(sim: QuantSim): string {
  return softmaxInput(sim.ir) ?? (sim.ir.outputs[0] as string);
}

export async function evaluate(
  sim: QuantSim,
  input: StageInput,
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
export async function integer(
  sim: QuantSim,
  input: StageInput,
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
export async function sensitivity(
  sim: QuantSim,
  input: StageInput,
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
