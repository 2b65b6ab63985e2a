/**
 * The engine as one object with the operations the UI (through the worker) and the CLI call:
 * list the zoo, load a model, evaluate it. It owns the loaded model and the cached data, and
 * makes a newer request cancel an older one.
 */
import type * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import { type LabeledSet, digitsSet, limitSet } from './data/dataset';
import { type ByteSource, loadDigitsSplit } from './data/digits';
import { spiralTestSet } from './data/spiralSet';
import { CancelledError, evaluateAccuracy } from './eval/evaluate';
import type { ExperimentConfig } from '@/config/schema';
import { digitsCalibrationSet, digitsSubset } from './data/calibration';
import { spiralSet } from './data/spiralSet';
import { shuffledSpiral, spiralSplits } from './data/spiral';
import type {
  BackendName,
  DebugReport,
  EvalRequest,
  Fp32Result,
  ModelCard,
  Progress,
  QatResult,
  QatUpdate,
  QuantResult,
  QuantUpdate,
} from './events';
import { runQat, type QatRun } from './pipelines/qat';
import { toAimetFile, type AimetEncodingsFile } from './export/aimetEncodings';
import { qatExportFiles, type QatExportFiles } from './export/qatExport';
import { ptqExportFiles } from './export/ptqExport';
import { runDebugFlow } from './pipelines/debugFlow';
import { runQuantEval } from './pipelines/quantEval';
import { preparePtq } from './pipelines/ptq';
import {
  createQuantSim,
  type FixedEncodings,
  type PreparedWeights,
  type QuantSim,
} from './quantsim/quantSim';
import { loadLayersModelFrom } from './model/load';
import { type ChartDeps, ChartJobs } from './chartJobs';
import { SearchJobs } from './search/searchJobs';
import { loadZooCards, type ZooCardWithPath } from './model/builtin';
import { inspectCustomModel } from './model/custom';
import { uploadSource, type UploadedFile } from './model/upload';

export { CancelledError };

export class EngineSession {
  private zoo: ZooCardWithPath[] | null = null;
  /** Where each outside model's files are (kept in memory for an upload), by card id. */
  private customSources = new Map<string, ByteSource>();
  /**
   * The one loaded model, as a promise so that concurrent jobs (an FP32 evaluation and a
   * quantization started together) share one load instead of disposing each other's model.
   */
  private loaded: { id: string; model: Promise<tf.LayersModel> } | null = null;
  private testSets = new Map<string, Promise<LabeledSet>>();
  private trainDigits: ReturnType<typeof loadDigitsSplit> | null = null;
  private lastResult: QuantResult | null = null;
  /** The last finished run's quantized weights (with lastResult: the PTQ export). */
  private lastPrepared: PreparedWeights | null = null;
  /** One counter per kind of job: a newer job cancels an older one of the same kind. */
  private generation = { fp32: 0, quant: 0, qat: 0 };
  private qatPaused = false;
  private lastQat: QatRun | null = null;
  /** What the charts' and the search's jobs borrow from the session: models, data, backend. */
  private readonly jobDeps: ChartDeps = {
    model: (id) => this.model(id),
    dataset: async (id) => {
      const entry = (await this.entries()).find((m) => m.id === id);
      if (!entry) throw playgroundError('UNKNOWN_MODEL', { id });
      return entry.dataset;
    },
    testSet: (dataset) => this.testSet(dataset),
    calibrationSet: (dataset, config) => this.calibrationSet(dataset, config),
    backend: () => this.backend(),
  };
  /** The live charts' jobs (chartJobs.ts): a selected layer's tensors, boundaries, the sweep. */
  readonly charts = new ChartJobs(this.jobDeps);
  /** The mixed-precision search (search/searchJobs.ts). */
  readonly search = new SearchJobs(this.jobDeps);

  constructor(
    private readonly source: ByteSource,
    private readonly backend: () => BackendName,
  ) {}

  async listModels(): Promise<ModelCard[]> {
    this.zoo ??= await loadZooCards(this.source);
    return this.zoo.map(({ path: _path, ...card }) => card);
  }

  /**
   * Lists a model from outside the zoo (a file pair from the CLI, or an upload) beside the zoo
   * once it passed the whole gate (model/custom.ts); its data set is inferred from its shapes.
   * The loaded model is left alone: the new one loads when a job first asks for its id, so a
   * failed or a finished validation never disturbs a job running on the current model.
   */
  async addModelFile(source: ByteSource, modelJsonPath: string): Promise<string> {
    return (await this.addCustom(source, modelJsonPath)).id;
  }

  /** An upload (any names, any bytes): picks the model.json, validates, lists it as a card. */
  async uploadModel(files: readonly UploadedFile[]): Promise<ModelCard> {
    const { source, modelJson } = uploadSource(files);
    return this.addCustom(source, modelJson);
  }

  private async addCustom(source: ByteSource, path: string): Promise<ModelCard> {
    const fields = await inspectCustomModel(source, path);
    // The card's test count is its data set's, so "all N" items reads right in the UI.
    fields.testCount = (await this.testSet(fields.dataset)).count;
    await this.entries();
    // Id and list change in one synchronous step, so two uploads at once never clash.
    const card: ModelCard = { id: `custom-${this.customSources.size + 1}`, ...fields };
    this.customSources.set(card.id, source);
    this.zoo = [...(this.zoo ?? []), { ...card, path }];
    return card;
  }

  /** Makes a running FP32 evaluation or quantization stop at its next batch (QAT: cancelQat). */
  cancel(): void {
    this.generation.fp32++;
    this.generation.quant++;
  }

  /**
   * Quantization-aware training of the config (paper section 4): streams each step and epoch
   * through `onUpdate`; pauseQat/resumeQat hold it between steps, cancel or a newer QAT stops it.
   */
  async qat(config: ExperimentConfig, onUpdate?: (u: QatUpdate) => void): Promise<QatResult> {
    const gen = ++this.generation.qat;
    this.qatPaused = false;
    const entry = (await this.entries()).find((m) => m.id === config.model);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id: config.model });
    const model = await this.model(config.model);
    const test = limitSet(await this.testSet(entry.dataset), config.evalLimit ?? undefined);
    const calibration = await this.calibrationSet(entry.dataset, config);
    const trainSet = await this.trainEpochs(entry.dataset, config.seed);
    const run = await runQat({
      modelId: config.model,
      backend: this.backend(),
      model,
      config,
      calibration,
      trainSet,
      test,
      shouldStop: () => gen !== this.generation.qat,
      isPaused: () => this.qatPaused,
      ...(onUpdate ? { onUpdate } : {}),
    });
    this.lastQat = run;
    return run.result;
  }

  /**
   * Stops only the running QAT at its next step (other jobs carry on); a paused run is resumed
   * so that its wait loop sees the stop.
   */
  cancelQat(): void {
    this.generation.qat++;
    this.qatPaused = false;
  }

  pauseQat(): void {
    this.qatPaused = true;
  }

  resumeQat(): void {
    this.qatPaused = false;
  }

  /**
   * The last QAT run's files (model.json, weights.bin, encodings.json), or null before any run
   * finished an epoch. Throws EXPORT_UNSUPPORTED for a model Keras cannot express.
   */
  async exportQat(): Promise<QatExportFiles | null> {
    const run = this.lastQat;
    if (!run?.snapshot) return null;
    const r = run.result;
    return qatExportFiles(run.snapshot, {
      model: r.modelId,
      link: r.link,
      fp32Accuracy: r.fp32Accuracy,
      quantAccuracy: r.accuracy,
    });
  }

  /** The last finished QAT run (its trained model and encodings), or null. */
  lastQatRun(): QatRun | null {
    return this.lastQat;
  }

  async model(id: string): Promise<tf.LayersModel> {
    if (this.loaded?.id === id) return this.loaded.model;
    const entry = (await this.entries()).find((m) => m.id === id);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id });
    if (this.loaded?.id === id) return this.loaded.model; // loaded while we looked it up
    const model = loadLayersModelFrom(this.customSources.get(id) ?? this.source, entry.path);
    void this.replaceLoaded({ id, model });
    return model;
  }

  async evaluateFp32(req: EvalRequest, onProgress?: (p: Progress) => void): Promise<Fp32Result> {
    const gen = ++this.generation.fp32;
    const started = performance.now();
    const entry = (await this.entries()).find((m) => m.id === req.modelId);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id: req.modelId });
    const model = await this.model(req.modelId);
    const set = limitSet(await this.testSet(entry.dataset), req.limit);
    const result = await evaluateAccuracy(model, set, {
      keepOutputs: req.keepOutputs ?? false,
      shouldStop: () => gen !== this.generation.fp32,
      onProgress: (done, total) => onProgress?.({ phase: 'FP32 evaluation', done, total }),
    });
    const out: Fp32Result = {
      modelId: req.modelId,
      backend: this.backend(),
      count: result.count,
      correct: result.correct,
      accuracy: result.accuracy,
      millis: performance.now() - started,
    };
    if (result.outputs) out.outputs = result.outputs;
    return out;
  }

  /**
   * Quantizes the configured model (weights, calibration, evaluation, optional per-layer
   * sensitivity) and streams each stage through `onUpdate`.
   */
  async quantize(
    config: ExperimentConfig,
    options: { sensitivity: boolean; fixedEncodings?: FixedEncodings },
    onUpdate?: (u: QuantUpdate) => void,
  ): Promise<QuantResult> {
    const gen = ++this.generation.quant;
    const entry = (await this.entries()).find((m) => m.id === config.model);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id: config.model });
    const model = await this.model(config.model);
    const evaluation = limitSet(await this.testSet(entry.dataset), config.evalLimit ?? undefined);
    const calibration = await this.calibrationSet(entry.dataset, config);
    const hooks = this.charts.runHooks(config, entry.dataset);
    let prepared: PreparedWeights | null = null;
    const result = await runQuantEval({
      modelId: config.model,
      backend: this.backend(),
      model,
      config,
      calibration,
      evaluation,
      sensitivity: options.sensitivity,
      ...(options.fixedEncodings ? { fixedEncodings: options.fixedEncodings } : {}),
      shouldStop: () => gen !== this.generation.quant,
      ...(onUpdate ? { onUpdate } : {}),
      ...hooks,
      onPrepared: (ir, p) => {
        prepared = p;
        hooks.onPrepared?.(ir, p);
      },
    });
    // Kept together, so a cancelled run never pairs its weights with an older result.
    this.lastResult = result;
    this.lastPrepared = prepared;
    return result;
  }

  /**
   * The PTQ debugging flow (paper 3.7) for the config: sanity check, weights vs activations,
   * each quantizer alone, and measured suggestions. Shares cancellation with quantize.
   */
  async debugFlow(
    config: ExperimentConfig,
    onProgress?: (p: Progress) => void,
  ): Promise<DebugReport> {
    const gen = ++this.generation.quant;
    const shouldStop = () => gen !== this.generation.quant;
    const entry = (await this.entries()).find((m) => m.id === config.model);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id: config.model });
    const model = await this.model(config.model);
    const evaluation = limitSet(await this.testSet(entry.dataset), config.evalLimit ?? undefined);
    const calibration = await this.calibrationSet(entry.dataset, config);
    const simulate = async (c: ExperimentConfig): Promise<QuantSim> => {
      const { prepared } = await preparePtq({
        model,
        config: c,
        calibration,
        evaluation: null,
        shouldStop,
      });
      return createQuantSim(prepared, calibration, { shouldStop });
    };
    return runDebugFlow({
      modelId: config.model,
      model,
      config,
      evaluation,
      simulate,
      shouldStop,
      ...(onProgress ? { onProgress } : {}),
    });
  }

  /**
   * The last finished quantization run as files (model.json, weights.bin, encodings.json; as
   * exportQat's), or null before any run. Throws EXPORT_UNSUPPORTED for a model Keras cannot
   * express (CLE with ReLU6).
   */
  async exportPtq(): Promise<QatExportFiles | null> {
    if (!this.lastResult || !this.lastPrepared) return null;
    return ptqExportFiles(this.lastPrepared, this.lastResult);
  }

  /** The last quantization result's encodings in AIMET's layout, or null before any run. */
  aimetEncodings(): AimetEncodingsFile | null {
    return this.lastResult ? toAimetFile(this.lastResult) : null;
  }

  private async calibrationSet(
    dataset: ModelCard['dataset'],
    config: ExperimentConfig,
  ): Promise<LabeledSet> {
    if (dataset === 'spiral') {
      return limitSet(spiralSet(spiralSplits().train), config.calibration);
    }
    this.trainDigits ??= loadDigitsSplit(this.source, 'train');
    return digitsCalibrationSet(await this.trainDigits, config.calibration, config.seed);
  }

  /** The train split in a seeded order per epoch (paper 4.4: plain minibatch training). */
  private async trainEpochs(
    dataset: ModelCard['dataset'],
    seed: number,
  ): Promise<(epoch: number) => LabeledSet> {
    const epochSeed = (epoch: number) => (Math.imul(seed + 1, 0x9e3779b1) + epoch) >>> 0;
    if (dataset === 'spiral') {
      const train = spiralSplits().train;
      return (epoch) => spiralSet(shuffledSpiral(train, epochSeed(epoch)));
    }
    this.trainDigits ??= loadDigitsSplit(this.source, 'train');
    const split = await this.trainDigits;
    return (epoch) => digitsSet(digitsSubset(split, split.count, epochSeed(epoch)));
  }

  /** Frees the loaded model (once its load has settled). */
  dispose(): Promise<void> {
    return this.replaceLoaded(null);
  }

  /** Swaps the loaded model, disposing the previous one once its load settles. */
  private replaceLoaded(
    next: { id: string; model: Promise<tf.LayersModel> } | null,
  ): Promise<void> {
    const previous = this.loaded;
    this.loaded = next;
    return (previous?.model ?? Promise.resolve(null)).then(
      (m) => {
        m?.dispose();
      },
      () => undefined,
    );
  }

  private async entries(): Promise<ZooCardWithPath[]> {
    this.zoo ??= await loadZooCards(this.source);
    return this.zoo;
  }

  private testSet(dataset: ModelCard['dataset']): Promise<LabeledSet> {
    let set = this.testSets.get(dataset);
    if (!set) {
      set =
        dataset === 'spiral'
          ? Promise.resolve(spiralTestSet())
          : loadDigitsSplit(this.source, 'test').then(digitsSet);
      this.testSets.set(dataset, set);
    }
    return set;
  }
}
