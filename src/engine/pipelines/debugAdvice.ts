/**
 * What to try next, from the measurements of the PTQ debugging flow (paper 3.7, Fig. 9): the
 * fixes the paper lists for the side that loses accuracy, aimed at the worst quantizer, each as
 * a complete config so the app can show its link and measure it. Pure: no TF.js.
 */
import type { QuantChoice, QuantSlotChoice } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import { STANDARD_ADAROUND_ITERATIONS } from '@/config/defaults';

export interface QuantizerProbe {
  node: string;
  kind: 'weights' | 'activations';
  type: string;
  /** Accuracy with only this quantizer on (the rest in FP32). */
  accuracy: number;
}

export interface DebugMeasurements {
  fp32Accuracy: number;
  weightsOnly: number;
  activationsOnly: number;
  probes: readonly QuantizerProbe[];
}

export interface Suggestion {
  /** Why, in words, citing the paper's step. */
  text: string;
  config: ExperimentConfig;
  /** AdaRound suggestions take minutes in the browser, so they are not measured by the flow. */
  measure: boolean;
}

const choiceOf = (c: QuantSlotChoice): QuantChoice | null => (c === 'fp32' ? null : c);

/** The quantizer whose probe loses the most accuracy, or null when none loses any. */
export function worstQuantizer(m: DebugMeasurements): QuantizerProbe | null {
  const worst = [...m.probes].sort((a, b) => a.accuracy - b.accuracy)[0];
  return worst && worst.accuracy < m.fp32Accuracy ? worst : null;
}

export function suggestFixes(config: ExperimentConfig, m: DebugMeasurements): Suggestion[] {
  const out: Suggestion[] = [];
  const worst = worstQuantizer(m);
  const weightsSide = m.fp32Accuracy - m.weightsOnly >= m.fp32Accuracy - m.activationsOnly;
  const w = choiceOf(config.weights);
  const a = choiceOf(config.activations);
  if (weightsSide && w) {
    if (!config.ptq.cle && (worst?.type === 'depthwiseConv2d' || w.granularity === 'per-tensor'))
      out.push({
        text: 'Weights lose more. Apply cross-layer equalization with bias absorption (step 3.1: especially for depthwise-separable layers).',
        config: { ...config, ptq: { ...config.ptq, cle: true, biasAbsorption: true } },
        measure: true,
      });
    if (w.granularity === 'per-tensor')
      out.push({
        text: 'Weights lose more. Try per-channel weight quantization (step 3.2).',
        config: { ...config, weights: { ...w, granularity: 'per-channel' } },
        measure: true,
      });
    if (w.range === 'min-max')
      out.push({
        text: 'Set the weight ranges by MSE instead of min-max (section 3.1: better at low bit-widths).',
        config: { ...config, weights: { ...w, range: 'mse' } },
        measure: true,
      });
    if (config.ptq.biasCorrection === 'off')
      out.push({
        text: 'Correct the bias the weight quantization shifts into the outputs (step 3.3, empirical bias correction).',
        config: { ...config, ptq: { ...config.ptq, biasCorrection: 'empirical' } },
        measure: true,
      });
    if (config.ptq.adaround === 0)
      out.push({
        text: 'Learn the rounding with AdaRound on the calibration data (step 3.3: crucial at 4 bits).',
        config: { ...config, ptq: { ...config.ptq, adaround: STANDARD_ADAROUND_ITERATIONS } },
        measure: false,
      });
  }
  if (!weightsSide && a && a.range !== 'mse')
    out.push({
      text: 'Activations lose more. Try MSE range setting for the activations (step 4).',
      config: { ...config, activations: { ...a, range: 'mse' } },
      measure: true,
    });
  if (worst) {
    const slot = worst.kind === 'weights' ? config.weights : config.activations;
    const c = choiceOf(slot);
    if (c && c.bits < 16) {
      const bits = Math.min(16, Math.max(8, c.bits * 2));
      const override = { ...config.overrides[worst.node], [worst.kind]: { ...c, bits } };
      out.push({
        text: `The worst quantizer is ${worst.node}'s ${worst.kind}: give it ${bits} bits (step 7: a higher bit-width for the problem quantizer).`,
        config: { ...config, overrides: { ...config.overrides, [worst.node]: override } },
        measure: true,
      });
    }
  }
  return out;
}
