/**
 * The PTQ debugging flow of the white paper (section 3.7, Fig. 9) as one measured report:
 * FP32 sanity check, weights-only vs activations-only quantization, each quantizer alone, and
 * the fixes of debugAdvice.ts for the side and quantizer that lose most, each measured.
 */
import type * as tf from '@tensorflow/tfjs';
import { encodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import type { LabeledSet } from '../data/dataset';
import { compareRuns } from '../eval/compare';
import { evaluateAccuracy } from '../eval/evaluate';
import type { DebugReport, Progress } from '../events';
import type { QuantSim } from '../quantsim/quantSim';
import { softmaxInput } from '../quantsim/slots';
import { type QuantizerProbe, suggestFixes } from './debugAdvice';

export interface DebugFlowInput {
  modelId: string;
  model: tf.LayersModel;
  config: ExperimentConfig;
  evaluation: LabeledSet;
  /** Builds the quantization simulation of a config (with its PTQ steps); the flow disposes it. */
  simulate: (config: ExperimentConfig) => Promise<QuantSim>;
  onProgress?: (p: Progress) => void;
  shouldStop?: () => boolean;
}

export async function runDebugFlow(input: DebugFlowInput): Promise<DebugReport> {
  const t0 = performance.now();
  const { evaluation: set, shouldStop } = input;
  const stop = shouldStop ? { shouldStop } : {};
  const predict = await evaluateAccuracy(input.model, set, stop);
  const sim = await input.simulate(input.config);
  const probes: QuantizerProbe[] = [];
  const acc = { bypassed: 0, quantized: 0, weightsOnly: 0, activationsOnly: 0 };
  try {
    const out = softmaxInput(sim.ir) ?? (sim.ir.outputs[0] as string);
    const none = new Set<string>();
    const accuracyWith = async (weights: Set<string>, activations: Set<string>) => {
      const q = sim.build({ weights, activations });
      try {
        const r = await compareRuns(sim.fp, q, set, [out], stop);
        return r.qCorrect / Math.max(1, r.count);
      } finally {
        q.dispose();
      }
    };
    const w = [...sim.weights.keys()];
    const a = [...sim.activations.keys()];
    const types = new Map(sim.ir.nodes.map((n) => [n.name, n.type as string]));
    const total = 4 + w.length + a.length;
    let done = 0;
    const step = (phase: string) => input.onProgress?.({ phase, done: ++done, total });
    acc.bypassed = await accuracyWith(none, none);
    step('FP32 sanity check');
    acc.quantized = await accuracyWith(new Set(w), new Set(a));
    step('Whole model quantized');
    acc.weightsOnly = await accuracyWith(new Set(w), none);
    step('Weights only');
    acc.activationsOnly = await accuracyWith(none, new Set(a));
    step('Activations only');
    for (const node of w) {
      probes.push({
        node,
        kind: 'weights',
        type: types.get(node) ?? '',
        accuracy: await accuracyWith(new Set([node]), none),
      });
      step('Each quantizer alone');
    }
    for (const node of a) {
      probes.push({
        node,
        kind: 'activations',
        type: types.get(node) ?? '',
        accuracy: await accuracyWith(none, new Set([node])),
      });
      step('Each quantizer alone');
    }
  } finally {
    sim.dispose();
  }
  const fp32Accuracy = predict.accuracy;
  const { bypassed, quantized, weightsOnly, activationsOnly } = acc;
  const suggestions: DebugReport['suggestions'] = [];
  const fixes = suggestFixes(input.config, { fp32Accuracy, weightsOnly, activationsOnly, probes });
  for (const s of fixes) {
    let accuracy: number | null = null;
    if (s.measure) {
      const other = await input.simulate(s.config);
      try {
        const q = other.build();
        try {
          const r = await compareRuns(other.fp, q, set, [], stop);
          accuracy = r.qCorrect / Math.max(1, r.count);
        } finally {
          q.dispose();
        }
      } finally {
        other.dispose();
      }
    }
    suggestions.push({ text: s.text, link: encodeConfig(s.config), accuracy });
    input.onProgress?.({
      phase: 'Trying the suggestions',
      done: suggestions.length,
      total: fixes.length,
    });
  }
  const lossW = fp32Accuracy - weightsOnly;
  const lossA = fp32Accuracy - activationsOnly;
  return {
    modelId: input.modelId,
    link: encodeConfig(input.config),
    count: set.count,
    sanity: {
      predictAccuracy: fp32Accuracy,
      bypassedAccuracy: bypassed,
      passed: Math.abs(bypassed - fp32Accuracy) <= 0.001,
    },
    quantizedAccuracy: quantized,
    weightsOnlyAccuracy: weightsOnly,
    activationsOnlyAccuracy: activationsOnly,
    culprit: Math.max(lossW, lossA) <= 0 ? 'none' : lossW >= lossA ? 'weights' : 'activations',
    quantizers: [...probes].sort((x, y) => x.accuracy - y.accuracy),
    suggestions,
    millis: performance.now() - t0,
  };
}
