/**
 * The post-training steps of paper section 3 in the order of the standard pipeline (3.5,
 * Fig. 8): CLE and bias absorption rewrite the folded FP32 model, AdaRound replaces the rounding
 * of each kernel, bias correction replaces the quantized model's biases. With an evaluation set
 * each rung of the ladder (baseline, + CLE, + AdaRound, + bias correction) is measured, so the
 * result says what every step bought.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '@/config/schema';
import type { LabeledSet } from '../data/dataset';
import { compareRuns } from '../eval/compare';
import type { Progress, PtqReport, PtqStepReport } from '../events';
import { createQuantSim, prepareWeights, type PreparedWeights } from '../quantsim/quantSim';
import { softmaxInput } from '../quantsim/slots';
import { adaroundStep, biasCorrectionStep, ptqRewrite } from './ptqSteps';

export interface PtqInput {
  model: tf.LayersModel;
  config: ExperimentConfig;
  calibration: LabeledSet;
  /** Measure every rung on this set; null to only prepare the weights. */
  evaluation: LabeledSet | null;
  onProgress?: (p: Progress, report: PtqReport) => void;
  shouldStop?: () => boolean;
}

export const hasPtqSteps = (c: ExperimentConfig): boolean =>
  c.ptq.cle || c.ptq.biasAbsorption || c.ptq.adaround > 0 || c.ptq.biasCorrection !== 'off';

/** Prepared weights after the config's PTQ steps, and (with an evaluation set) what each did. */
export async function preparePtq(
  input: PtqInput,
): Promise<{ prepared: PreparedWeights; report: PtqReport | null }> {
  const { config, calibration, shouldStop } = input;
  if (!hasPtqSteps(config))
    return { prepared: await prepareWeights(input.model, config), report: null };
  const stop = shouldStop ? { shouldStop } : {};
  const report: PtqReport = {
    steps: [],
    cle: null,
    biasAbsorption: null,
    adaround: null,
    biasCorrection: null,
  };
  const progress = (phase: string, done: number, total: number) =>
    input.onProgress?.({ phase, done, total }, report);

  const measure = async (
    step: PtqStepReport['step'],
    label: string,
    prepared: PreparedWeights,
    started: number,
  ) => {
    if (!input.evaluation) return;
    const sim = await createQuantSim(prepared, calibration, stop);
    try {
      const out = softmaxInput(sim.ir) ?? (sim.ir.outputs[0] as string);
      const q = sim.build();
      try {
        const r = await compareRuns(sim.fp, q, input.evaluation, [out], stop);
        report.steps.push({
          step,
          label,
          accuracy: r.qCorrect / Math.max(1, r.count),
          outputSqnrDb: r.sqnrDb.get(out) ?? Infinity,
          weightSqnrDb: Object.fromEntries(
            [...prepared.weights].map(([node, w]) => [node, w.sqnrDb]),
          ),
          millis: performance.now() - started,
        });
      } finally {
        q.dispose();
      }
    } finally {
      sim.dispose();
    }
    progress(`Measured: ${label}`, report.steps.length, report.steps.length);
  };

  let t = performance.now();
  if (input.evaluation) {
    await measure(
      'baseline',
      'Round to nearest (no PTQ steps)',
      await prepareWeights(input.model, config),
      t,
    );
  }
  t = performance.now();
  let prepared: PreparedWeights;
  if (config.ptq.cle || config.ptq.biasAbsorption) {
    const rewrite = ptqRewrite(config.ptq);
    prepared = await prepareWeights(input.model, config, rewrite.apply);
    report.cle = rewrite.cleReport();
    report.biasAbsorption = rewrite.absorptionReport();
    const label = [config.ptq.cle ? 'CLE' : '', config.ptq.biasAbsorption ? 'bias absorption' : '']
      .filter(Boolean)
      .join(' + ');
    await measure('cle', `+ ${label}`, prepared, t);
  } else prepared = await prepareWeights(input.model, config);

  if (config.ptq.adaround > 0) {
    t = performance.now();
    const r = await adaroundStep(prepared, calibration, config.ptq.adaround, config.seed, {
      ...stop,
      onProgress: progress,
      onRows: (rows) => {
        report.adaround = rows;
      },
    });
    prepared = r.prepared;
    report.adaround = r.report;
    await measure('adaround', `+ AdaRound (${config.ptq.adaround} iterations/layer)`, prepared, t);
  }

  if (config.ptq.biasCorrection !== 'off') {
    t = performance.now();
    const mode = config.ptq.biasCorrection;
    const r = await biasCorrectionStep(prepared, mode, calibration, input.evaluation, {
      ...stop,
      onProgress: progress,
    });
    prepared = r.prepared;
    report.biasCorrection = r.report;
    await measure('bias-correction', `+ ${mode} bias correction`, prepared, t);
  }
  return { prepared, report };
}
