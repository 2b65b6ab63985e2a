/**
 * The engine side of the playground's live charts, kept beside EngineSession (which owns the
 * model and the data and hands them in): the last run's prepared model for a selected layer's
 * kernel and activation sample, the last spiral run's decision boundaries, and the accuracy vs
 * bit-width sweep, a job of its own kind (a slider's automatic re-run does not cancel it).
 */
import type * as tf from '@tensorflow/tfjs';
import { encodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { type LabeledSet, limitSet } from './data/dataset';
import { spiralSplits } from './data/spiral';
import type {
  BackendName,
  DatasetId,
  DecisionBoundary,
  LayerActivations,
  LayerWeights,
  SweepResult,
  SweepUpdate,
} from './events';
import { decisionBoundary } from './inspect/decisionBoundary';
import { kernelOf, type PreparedModel, sampleActivation } from './inspect/layerData';
import { runBitSweep, SWEEP_LIMIT } from './pipelines/bitSweep';
import { type QuantEvalInput, runQuantEval } from './pipelines/quantEval';

/** What the session lends: its loaded model, its cached data sets and its backend. */
export interface ChartDeps {
  model(id: string): Promise<tf.LayersModel>;
  /** The model's data set; throws UNKNOWN_MODEL. */
  dataset(id: string): Promise<DatasetId>;
  testSet(dataset: DatasetId): Promise<LabeledSet>;
  calibrationSet(dataset: DatasetId, config: ExperimentConfig): Promise<LabeledSet>;
  backend(): BackendName;
}

export class ChartJobs {
  private prepared: (PreparedModel & { dataset: DatasetId; config: ExperimentConfig }) | null =
    null;
  private boundary: DecisionBoundary | null = null;
  private sweepGeneration = 0;

  constructor(private readonly deps: ChartDeps) {}

  /**
   * Hooks for one quantization run: keep its prepared model (for layerWeights and
   * layerActivations) and, for a 2-D model, compute its decision boundaries while its
   * simulation is alive.
   */
  runHooks(
    config: ExperimentConfig,
    dataset: DatasetId,
  ): Pick<QuantEvalInput, 'onPrepared' | 'inspect'> {
    const link = encodeConfig(config);
    const onPrepared: QuantEvalInput['onPrepared'] = (ir) => {
      this.prepared = { link, ir, dataset, config };
    };
    if (dataset !== 'spiral') return { onPrepared };
    const test = spiralSplits().test;
    const count = Math.min(test.count, config.evalLimit ?? Infinity);
    return {
      onPrepared,
      inspect: async (sim) => {
        this.boundary = await decisionBoundary(sim, {
          modelId: config.model,
          link,
          test: { ...test, count },
        });
      },
    };
  }

  /** The node's folded kernel from the last run's prepared model; null before any run. */
  layerWeights(node: string): LayerWeights | null {
    return this.prepared ? kernelOf(this.prepared, node) : null;
  }

  /** A sample of the node's FP32 output on the last run's calibration images. */
  async layerActivations(node: string): Promise<LayerActivations | null> {
    const p = this.prepared;
    if (!p) return null;
    return sampleActivation(p, node, await this.deps.calibrationSet(p.dataset, p.config));
  }

  /** The last spiral run's boundaries (check its link), or null. */
  decisionBoundary(): DecisionBoundary | null {
    return this.boundary;
  }

  /**
   * Accuracy at weight bits 8..2 and activation bits 8..2 around the config, on at most
   * SWEEP_LIMIT test items; a newer sweep or cancelSweep stops it at its next batch.
   */
  async sweep(config: ExperimentConfig, onUpdate?: (u: SweepUpdate) => void): Promise<SweepResult> {
    const gen = ++this.sweepGeneration;
    const shouldStop = () => gen !== this.sweepGeneration;
    const dataset = await this.deps.dataset(config.model);
    const model = await this.deps.model(config.model);
    const limit = Math.min(config.evalLimit ?? Infinity, SWEEP_LIMIT);
    const evaluation = limitSet(await this.deps.testSet(dataset), limit);
    const calibration = await this.deps.calibrationSet(dataset, config);
    return runBitSweep({
      modelId: config.model,
      config,
      count: evaluation.count,
      shouldStop,
      ...(onUpdate ? { onUpdate } : {}),
      run: (c) =>
        runQuantEval({
          modelId: c.model,
          backend: this.deps.backend(),
          model,
          config: c,
          calibration,
          evaluation,
          sensitivity: false,
          shouldStop,
        }),
    });
  }

  cancelSweep(): void {
    this.sweepGeneration++;
  }
}
