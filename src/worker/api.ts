/**
 * The typed boundary between the page and the engine worker (comlink RPC). The store only
 * sees `EngineApi`; tests pass a fake with the same shape.
 */
import * as Comlink from 'comlink';
import { watchFaults } from './faults';
import { startHeartbeat } from './heartbeat';
// The client's fault wrapper, for store tests that put it around a fake engine.
export { DEVICE_LOST_NAME, watchFaults } from './faults';
import { HEARTBEAT_KEY, hasKey, TEST_FAULT_KEY } from './messageKeys';
import type { ExperimentConfig } from '@/config/schema';
import type {
  BackendInfo,
  BackendRequest,
  DebugReport,
  DecisionBoundary,
  EvalRequest,
  LayerActivations,
  LayerWeights,
  Fp32Result,
  ModelCard,
  Progress,
  QatExportFiles,
  QatResult,
  QatUpdate,
  QuantResult,
  QuantUpdate,
  SearchOptions,
  SearchResult,
  SearchUpdate,
  SweepResult,
  SweepUpdate,
} from '@/engine/events';
export type {
  SearchCost,
  SearchOptions,
  SearchPoint,
  SearchResult,
  SearchUpdate,
  BoundaryImage,
  DecisionBoundary,
  LayerActivations,
  LayerWeights,
  SweepPoint,
  SweepResult,
  SweepUpdate,
  BackendInfo,
  DebugReport,
  PtqReport,
  PtqStepReport,
  BackendName,
  BackendRequest,
  EvalRequest,
  Fp32Result,
  ModelCard,
  Progress,
  EncodingSummary,
  QatEpoch,
  QatExportFiles,
  QatHead,
  QatRange,
  QatRangePoint,
  QatResult,
  QatStatus,
  QatStep,
  QatUpdate,
  LayerReport,
  QuantResult,
  QuantStage,
  QuantUpdate,
} from '@/engine/events';

export interface EngineApi {
  /** Picks and starts the TF.js backend; call once, first. `baseUrl` is the site root. */
  start(
    request: BackendRequest,
    baseUrl: string,
    onDeviceLost: (message: string) => void,
  ): Promise<BackendInfo>;
  listModels(): Promise<ModelCard[]>;
  /**
   * Validates an uploaded model (model.json + weight files, by name) and lists it as a new
   * card `custom-N`; rejects with a message naming the file and the fault. The loaded model
   * is untouched either way. The client transfers the buffers (they are detached after).
   */
  uploadModel(files: UploadFile[]): Promise<ModelCard>;
  evaluateFp32(req: EvalRequest, onProgress: (p: Progress) => void): Promise<Fp32Result>;
  /** Quantizes the configured model; each stage's result so far arrives through onUpdate. */
  quantize(
    config: ExperimentConfig,
    options: { sensitivity: boolean },
    onUpdate: (u: QuantUpdate) => void,
  ): Promise<QuantResult>;
  /** The PTQ debugging flow (paper 3.7) for the config. */
  debugFlow(config: ExperimentConfig, onProgress: (p: Progress) => void): Promise<DebugReport>;
  /** The last quantization result's encodings as AIMET JSON text, or null before any run. */
  aimetEncodings(): Promise<string | null>;
  /**
   * Quantization-aware training of the config (paper section 4); every step and epoch arrives
   * through onUpdate. Rejects with "cancelled" after cancelQat, cancel or a newer qat call.
   */
  qat(config: ExperimentConfig, onUpdate: (u: QatUpdate) => void): Promise<QatResult>;
  /** Holds the running QAT between steps; resumeQat carries on from the same step. */
  pauseQat(): Promise<void>;
  resumeQat(): Promise<void>;
  /** Stops only the running QAT (a paused one too); other jobs carry on. */
  cancelQat(): Promise<void>;
  /**
   * The last finished QAT run as files: model.json (its manifest names weights.bin),
   * weights.bin and the learned encodings (AIMET JSON); null before any run finished.
   */
  exportQat(): Promise<QatExportFiles | null>;
  /**
   * The last finished quantization (PTQ) run as the same three files: its prepared model
   * (AdaRound kernels and corrected biases written in) and its encodings; null before any run.
   */
  exportPtq(): Promise<QatExportFiles | null>;
  /** Stops a running FP32 evaluation or quantization at its next batch (QAT has cancelQat). */
  cancel(): Promise<void>;
  /** The node's folded FP32 kernel from the last run's prepared model; null before any run. */
  layerWeights(node: string): Promise<LayerWeights | null>;
  /** A sample of the node's FP32 output on the last run's calibration images. */
  layerActivations(node: string): Promise<LayerActivations | null>;
  /** The last run's FP32 and quantized decision boundaries (2-D models only), or null. */
  decisionBoundary(): Promise<DecisionBoundary | null>;
  /**
   * Accuracy vs bit-width around the config (weights 8..2, then activations 8..2) on a subset,
   * each point through onUpdate. Rejects with "cancelled" after cancelSweep or a newer sweep.
   */
  bitSweep(config: ExperimentConfig, onUpdate: (u: SweepUpdate) => void): Promise<SweepResult>;
  cancelSweep(): Promise<void>;
  /**
   * Mixed-precision search around the config (engine/search/runSearch.ts): every evaluated
   * configuration arrives through onUpdate. Rejects with "cancelled" after cancelSearch or a
   * newer search; other jobs do not cancel it.
   */
  mixedSearch(
    config: ExperimentConfig,
    options: SearchOptions,
    onUpdate: (u: SearchUpdate) => void,
  ): Promise<SearchResult>;
  cancelSearch(): Promise<void>;
}

/** One uploaded file as it crosses to the worker: its name and its bytes. */
export interface UploadFile {
  name: string;
  bytes: ArrayBuffer;
}

/** An engine running in its own module worker, and a way to end it. */
export interface EngineHandle {
  api: EngineApi;
  terminate(): void;
  /** Called once if the worker dies (an uncaught error); its pending calls have rejected. */
  onCrash?(listener: (detail: string) => void): void;
  /** Test-only faults (main.tsx exposes them with `?test-hooks`): see worker/testHooks.ts. */
  testFault?(kind: TestFault): void;
}

export type TestFault = 'crash' | 'lose-device' | 'hang';

export interface EngineClientOptions {
  /** A busy worker silent this long is treated as crashed (worker/heartbeat.ts). */
  hangMs?: number;
}

/** Wraps a callback so it can cross into the worker. */
export const callback = <T extends (...args: never[]) => unknown>(fn: T): T => Comlink.proxy(fn);

export function createEngineClient(options: EngineClientOptions = {}): EngineHandle {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  const remote = Comlink.wrap<EngineApi>(worker);
  const raw: EngineApi = {
    start: (request, baseUrl, onDeviceLost) =>
      remote.start(request, baseUrl, callback(onDeviceLost)),
    listModels: () => remote.listModels(),
    // Transferred, not copied: a model can be tens of MiB and the page keeps the Files.
    uploadModel: (files) =>
      remote.uploadModel(
        Comlink.transfer(
          files,
          files.map((f) => f.bytes),
        ),
      ),
    evaluateFp32: (req, onProgress) => remote.evaluateFp32(req, callback(onProgress)),
    quantize: (config, options, onUpdate) => remote.quantize(config, options, callback(onUpdate)),
    debugFlow: (config, onProgress) => remote.debugFlow(config, callback(onProgress)),
    aimetEncodings: () => remote.aimetEncodings(),
    qat: (config, onUpdate) => remote.qat(config, callback(onUpdate)),
    pauseQat: () => remote.pauseQat(),
    resumeQat: () => remote.resumeQat(),
    cancelQat: () => remote.cancelQat(),
    exportQat: () => remote.exportQat(),
    exportPtq: () => remote.exportPtq(),
    cancel: () => remote.cancel(),
    layerWeights: (node) => remote.layerWeights(node),
    layerActivations: (node) => remote.layerActivations(node),
    decisionBoundary: () => remote.decisionBoundary(),
    bitSweep: (config, onUpdate) => remote.bitSweep(config, callback(onUpdate)),
    cancelSweep: () => remote.cancelSweep(),
    mixedSearch: (config, options, onUpdate) =>
      remote.mixedSearch(config, options, callback(onUpdate)),
    cancelSearch: () => remote.cancelSearch(),
  };
  const faults = watchFaults(raw);
  const heartbeat = startHeartbeat({
    post: (n) => worker.postMessage({ [HEARTBEAT_KEY]: n }),
    busy: faults.busy,
    onHang: (ms) => {
      faults.crashed(`it stopped answering for ${Math.round(ms / 1000)} s`);
      worker.terminate();
    },
    ...(options.hangMs !== undefined && { hangMs: options.hangMs }),
  });
  worker.addEventListener('message', (e: MessageEvent) => {
    if (hasKey(e.data, HEARTBEAT_KEY)) heartbeat.answered();
  });
  worker.addEventListener('error', (e) => {
    e.preventDefault();
    heartbeat.stop();
    faults.crashed(e.message || 'uncaught error in the worker');
    worker.terminate(); // its state is unknown after an uncaught error
  });
  return {
    api: faults.api,
    terminate: () => {
      heartbeat.stop();
      faults.close();
      remote[Comlink.releaseProxy]();
      worker.terminate();
    },
    onCrash: faults.onCrash,
    testFault: (kind) => worker.postMessage({ [TEST_FAULT_KEY]: kind }),
  };
}

export function isCancelled(e: unknown): boolean {
  return e instanceof Error && /cancelled/.test(e.message);
}
