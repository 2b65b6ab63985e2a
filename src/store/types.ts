import type { ExperimentConfig } from '@/config/schema';
import type { LessonKeys } from '@/config/codec';
import type { LessonId } from '@/config/lessons';
import type { Baseline } from './compare';
import type { OverridePick } from './overrideEdits';
import type { QuantChoice, QuantSlotChoice } from '@/config/quantChoice';
import type {
  BackendInfo,
  DebugReport,
  DecisionBoundary,
  EngineHandle,
  Fp32Result,
  ModelCard,
  Progress,
  QatResult,
  QatExportFiles,
  QuantResult,
  LayerActivations,
  LayerWeights,
  SweepResult,
  SearchOptions,
  SearchResult,
} from '@/worker/api';

export type EngineStatus = 'starting' | 'ready' | 'failed';
export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
/** A QAT run can also be held between steps. */
export type QatRunStatus = RunStatus | 'paused';

export interface Notification {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

export interface AppState {
  config: ExperimentConfig;
  engine: { status: EngineStatus; info: BackendInfo | null };
  models: ModelCard[];
  run: { status: RunStatus; progress: Progress | null; result: Fp32Result | null };
  quant: {
    status: RunStatus;
    progress: Progress | null;
    result: QuantResult | null;
    sensitivity: boolean;
  };
  /** The PTQ debugging flow's last report (paper 3.7). */
  debug: { status: RunStatus; progress: Progress | null; report: DebugReport | null };
  /** Quantization-aware training (paper section 4): started only on request. */
  qat: { status: QatRunStatus; progress: Progress | null; result: QatResult | null };
  /** An uploaded model being read and validated (the names of its files), or idle. */
  upload: { status: 'idle' | 'validating'; files: string[] };
  /** The layer selected in the layer table (UI state: not in the share link), or null. */
  selectedLayer: string | null;
  /**
   * The selected layer's tensors from the last run (fetched once per selection and run; the
   * charts re-quantize them on every slider step) and the per-channel view's channel (null:
   * the widest).
   */
  layerData: {
    channel: number | null;
    weights: LayerWeights | null;
    activations: LayerActivations | null;
  };
  /** Accuracy vs bit-width sweep, run on request. */
  sweep: { status: RunStatus; progress: Progress | null; result: SweepResult | null };
  /** The last run's decision boundaries, for 2-D models (spiral). */
  boundary: DecisionBoundary | null;
  /** Mixed-precision search (store/searchActions.ts): options are UI state, not in the link. */
  search: {
    status: RunStatus;
    progress: Progress | null;
    result: SearchResult | null;
    options: SearchOptions;
  };
  /** A pinned result to compare the current one with (page state, not in the share link). */
  baseline: Baseline | null;
  /** The open lesson and presenter mode (share-link keys beside the experiment). */
  lesson: LessonKeys;
  notifications: Notification[];
}

export interface AppActions {
  /** Starts (or restarts) the engine worker on the configured backend and lists the zoo. */
  startEngine(): Promise<void>;
  setModel(id: string): void;
  /**
   * Validates the person's model files (model.json + weight shards) in the engine and, when
   * they pass, lists and selects the new card; any fault is a notification naming the file,
   * and the current model stays selected.
   */
  uploadModel(files: File[]): Promise<void>;
  setBackend(backend: ExperimentConfig['backend']): void;
  setEvalLimit(limit: number | null): void;
  /** Replaces the whole config (from a share link) and restarts what it changes. */
  applyConfig(config: ExperimentConfig): void;
  evaluate(): Promise<void>;
  /** Global weight or activation quantizer ('fp32' keeps every layer's slot in float). */
  setQuantizer(kind: 'weights' | 'activations', choice: QuantSlotChoice): void;
  /** Changes part of the global quantizer (e.g. only the bit-width from a slider). */
  patchQuantizer(kind: 'weights' | 'activations', patch: Partial<QuantChoice>): void;
  setCalibration(images: number): void;
  /** Integer path settings (accumulator width, overflow mode, requantization, on/off). */
  setInteger(patch: Partial<ExperimentConfig['integer']>): void;
  /** Post-training steps (CLE, bias absorption, AdaRound, bias correction). */
  setPtq(patch: Partial<ExperimentConfig['ptq']>): void;
  /** The paper's standard PTQ pipeline (3.5) on the current model and bit-widths. */
  applyStandardPtq(): void;
  /** A per-layer override; undefined removes it. */
  setOverride(
    node: string,
    kind: 'weights' | 'activations',
    choice: QuantSlotChoice | undefined,
  ): void;
  /** Runs the quantization experiment of the current config (a newer run cancels an older one). */
  quantize(options?: { sensitivity?: boolean }): Promise<void>;
  /** Runs the PTQ debugging flow on the current config. */
  runDebug(): Promise<void>;
  /** The last result's encodings in AIMET's JSON layout, or null before any run. */
  encodingsJson(): Promise<string | null>;
  /** QAT settings (part of the share link; changing them never re-runs PTQ). */
  setQat(patch: Partial<ExperimentConfig['qat']>): void;
  /** Trains the current config; its steps and epochs stream into `qat`. */
  startQat(): Promise<void>;
  pauseQat(): void;
  resumeQat(): void;
  /** Stops the running (or paused) QAT only. */
  cancelQat(): void;
  /** Stops a running FP32 evaluation or quantization (QAT has its own cancel). */
  cancel(): void;
  /** The last QAT run's files (model.json, weights.bin, encodings JSON), or null. */
  qatFiles(): Promise<QatExportFiles | null>;
  /** The last quantization run's model files (model.json, weights.bin, encodings JSON), or null. */
  ptqFiles(): Promise<QatExportFiles | null>;
  /** Selects a layer of the table (null clears) and fetches its kernel and activation sample. */
  selectLayer(node: string | null): void;
  /** The channel the per-channel weight view shows (null: the widest). */
  selectChannel(channel: number | null): void;
  /** Runs the accuracy vs bit-width sweep around the current config. */
  runSweep(): Promise<void>;
  cancelSweep(): void;
  /** Runs the mixed-precision search around the current config with the search options. */
  runSearch(): Promise<void>;
  cancelSearch(): void;
  setSearchOptions(options: Partial<SearchOptions>): void;
  /** Applies an evaluated point's config (its per-layer overrides) as the current config. */
  applySearchPoint(key: string): void;
  /** Pins the current finished result as the baseline (store/compare.ts). */
  pinBaseline(): void;
  clearBaseline(): void;
  /**
   * A layer's override from the table: a bit-width (scheme, granularity and range as the
   * global quantizer), FP32, or null to follow the global quantizer.
   */
  setOverrideBits(node: string, kind: 'weights' | 'activations', pick: OverridePick): void;
  /** Removes a row's overrides (by node and by Keras layer name). */
  resetOverride(at: { node: string; layer: string }): void;
  setSeed(seed: number): void;
  /** Opens a lesson (applying its experiment) or closes it (null). */
  openLesson(id: LessonId | null): void;
  setPresenter(on: boolean): void;
  /** The lesson keys of a decoded link (no config change: the link carries its own). */
  setLessonKeys(keys: LessonKeys): void;
  notify(kind: Notification['kind'], message: string): void;
  dismiss(id: number): void;
}

export type AppStore = AppState & AppActions;

/** How the store gets an engine: the real worker in the app, a fake in tests. */
export type EngineFactory = () => EngineHandle;

/** Result types the UI renders (re-exported so ui/ needs only store/). */
export type {
  BoundaryImage,
  DebugReport,
  DecisionBoundary,
  LayerActivations,
  LayerWeights,
  SweepPoint,
  SweepResult,
  SearchCost,
  SearchOptions,
  SearchPoint,
  SearchResult,
  LayerReport,
  ModelCard,
  PtqReport,
  PtqStepReport,
  QatEpoch,
  QatRangePoint,
  QatResult,
  QatStep,
  QatExportFiles,
  QuantResult,
} from '@/worker/api';
