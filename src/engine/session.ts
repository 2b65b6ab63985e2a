/**
 * The engine as one object with the operations the UI (through the worker) and the CLI call:
 * list the zoo, load a model, evaluate it. It owns the loaded model and the cached data, and
 * makes a newer request cancel an older one.
 */
import type * as tf from '@tensorflow/tfjs';
import { limitSet } from './data/dataset';
import type { ByteSource } from './data/digits';
import { SessionData } from './data/sessionData';
import { CancelledError, evaluateAccuracy } from './eval/evaluate';
import type { ExperimentConfig } from '@/config/schema';
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
import { type ChartDeps, ChartJobs } from './chartJobs';
import { SearchJobs } from './search/searchJobs';
import { ModelRegistry } from './model/registry';
import { inspectCustomModel } from './model/custom';
import { uploadSource, type UploadedFile } from './model/upload';

export { CancelledError };

export class EngineSession {
  /** The zoo and outside models' cards and the one loaded model (model/registry.ts). */
  private readonly models: ModelRegistry;
  /** The test, calibration and training sets, loaded once each (data/sessionData.ts). */
  private readonly data: SessionData;
  private lastResult: QuantResult | null = null;
  /** The last finished run's quantized weights (with lastResult: the PTQ export). */
  private lastPrepared: PreparedWeights | null = null;
  /** One counter per kind of job: a newer job cancels an older one of the same kind. */
  private generation = { fp32: 0, quant: 0, qat: 0 };
  private qatPaused = false;
  private lastQat: QatRun | null = null;
  /** What the charts' and the search's jobs borrow from the session: models, data, backend. */
  private readonly jobDeps: ChartDeps = {
    model: (id) => this.models.model(id),
    dataset: async (id) => (await this.models.entry(id)).dataset,
    testSet: (dataset) => this.data.testSet(dataset),
    calibrationSet: (dataset, config) => this.data.calibrationSet(dataset, config),
    backend: () => this.backend(),
  };
  /** The live charts' jobs (chartJobs.ts): a selected layer's tensors, boundaries, the sweep. */
  readonly charts = new ChartJobs(this.jobDeps);
  /** The mixed-precision search (search/searchJobs.ts). */
  readonly search = new SearchJobs(this.jobDeps);

  constructor(
    source: ByteSource,
    private readonly backend: () => BackendName,
  ) {
    this.models = new ModelRegistry(source);
    this.data = new SessionData(source);
  }

  listModels(): Promise<ModelCard[]> {
    return this.models.cards();
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
    fields.testCount = (await this.data.testSet(fields.dataset)).count;
    return this.models.add(source, path, fields);
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
    const { dataset, model, evaluation: test, calibration } = await this.jobInputs(config);
    const trainSet = await this.data.trainEpochs(dataset, config.seed);
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

  /** The model for an id, loaded once and shared by the jobs that ask for it together. */
  model(id: string): Promise<tf.LayersModel> {
    return this.models.model(id);
  }

  async evaluateFp32(req: EvalRequest, onProgress?: (p: Progress) => void): Promise<Fp32Result> {
    const gen = ++this.generation.fp32;
    const started = performance.now();
    const entry = await this.models.entry(req.modelId);
    const model = await this.model(req.modelId);
    const set = limitSet(await this.data.testSet(entry.dataset), req.limit);
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
    const { dataset, model, evaluation, calibration } = await this.jobInputs(config);
    const hooks = this.charts.runHooks(config, dataset);
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
    const { model, evaluation, calibration } = await this.jobInputs(config);
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

  /** What a quantization, debug or QAT job of the config runs on (the eval set: evalLimit). */
  private async jobInputs(config: ExperimentConfig) {
    const { dataset } = await this.models.entry(config.model);
    const model = await this.model(config.model);
    const evaluation = limitSet(await this.data.testSet(dataset), config.evalLimit ?? undefined);
    const calibration = await this.data.calibrationSet(dataset, config);
    return { dataset, model, evaluation, calibration };
  }

  /** Frees the loaded model (once its load has settled). */
  dispose(): Promise<void> {
    return this.models.dispose();
  }
}
