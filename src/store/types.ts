import type { ExperimentConfig } from '@/config/schema';
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
  /** Selects a layer of the table (null clears) and fetches its kernel and activation sample. */
  selectLayer(node: string | null): void;
  /** The channel the per-channel weight view shows (null: the widest). */
  selectChannel(channel: number | null): void;
  /** Runs the accuracy vs bit-width sweep around the current config. */
  runSweep(): Promise<void>;
  cancelSweep(): void;
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
