/**
 * Accuracy vs bit-width on the playground's model (the shape of paper Tables 1-2): the config
 * run at weight bits 8..2 with activations as configured, then at activation bits 8..2 with
 * weights as configured. Each point is a whole quantization run (range setting, calibration,
 * evaluation) on a subset of the test split, streamed as soon as it finishes.
 */
import { DEFAULT_ACTIVATIONS, DEFAULT_WEIGHTS } from '@/config/defaults';
import { encodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { CancelledError } from '../eval/evaluate';
import type { QuantResult, SweepPoint, SweepResult, SweepUpdate } from '../events';

export const SWEEP_BITS: readonly number[] = [8, 7, 6, 5, 4, 3, 2];
/** Test items per point unless the config asks for fewer: a sweep is 14 runs. */
export const SWEEP_LIMIT = 500;

export interface SweepItem {
  kind: SweepPoint['kind'];
  bits: number;
  config: ExperimentConfig;
}

/**
 * The configs of a sweep: only the global choice of one side changes (per-layer overrides keep
 * theirs; an FP32 side is swept from the default quantizer). The integer path is off: it does
 * not change the fake-quant accuracy a point reports.
 * @example sweepPlan(DEFAULT_CONFIG).map((i) => `${i.kind[0]}${i.bits}`) -> ['w8', ..., 'w2', 'a8', ..., 'a2']
 */
export function sweepPlan(config: ExperimentConfig, bits = SWEEP_BITS): SweepItem[] {
  return (['weights', 'activations'] as const).flatMap((kind) =>
    bits.map((b) => {
      const own = config[kind];
      const base =
        own !== 'fp32' ? own : kind === 'weights' ? DEFAULT_WEIGHTS : DEFAULT_ACTIVATIONS;
      return {
        kind,
        bits: b,
        config: {
          ...config,
          [kind]: { ...base, bits: b },
          integer: { ...config.integer, enabled: false },
        },
      };
    }),
  );
}

export interface SweepInput {
  modelId: string;
  config: ExperimentConfig;
  /** Test items each run evaluates. */
  count: number;
  /** One quantization run of a config (the session's runQuantEval on the subset). */
  run(config: ExperimentConfig): Promise<QuantResult>;
  shouldStop(): boolean;
  onUpdate?: (u: SweepUpdate) => void;
}

export async function runBitSweep(input: SweepInput): Promise<SweepResult> {
  const plan = sweepPlan(input.config);
  const result: SweepResult = {
    modelId: input.modelId,
    link: encodeConfig(input.config),
    count: input.count,
    fp32Accuracy: null,
    points: [],
    remaining: plan.length,
  };
  for (const item of plan) {
    if (input.shouldStop()) throw new CancelledError();
    const r = await input.run(item.config);
    result.fp32Accuracy ??= r.fp32Accuracy;
    result.points.push({
      kind: item.kind,
      bits: item.bits,
      accuracy: r.quantAccuracy ?? 0,
      outputSqnrDb: r.outputSqnrDb,
    });
    result.remaining--;
    const done = plan.length - result.remaining;
    input.onUpdate?.({
      progress: { phase: `Sweep: ${item.kind} at ${item.bits} bits`, done, total: plan.length },
      result: structuredClone(result),
    });
  }
  return result;
}
