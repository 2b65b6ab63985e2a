/** A fake EngineApi for store and UI tests: scripted answers, recorded calls, no TF.js. */
import type { ExperimentConfig } from '@/config/schema';
import type {
  BackendRequest,
  DebugReport,
  EngineApi,
  EngineHandle,
  Fp32Result,
  ModelCard,
  QuantResult,
} from '@/worker/api';
import { createFakeCharts, type FakeCharts } from './fakeCharts';
import { createFakeQat, type FakeQat } from './fakeQat';
import { createFakeSearch, type FakeSearch } from './fakeSearch';

export { FAKE_SWEEP, fakeLayerWeights } from './fakeCharts';

export const FAKE_MODELS: ModelCard[] = [
  {
    id: 'mlp',
    title: 'MLP',
    purpose: 'simplest',
    dataset: 'digits',
    params: 109_386,
    macsPerImage: 109_184,
    fp32TestAccuracy: 0.97,
    testCount: 4,
    layers: [{ name: 'fc1', type: 'Dense' }],
  },
  {
    id: 'cnn',
    title: 'CNN',
    purpose: 'BN folding',
    dataset: 'digits',
    params: 20_000,
    macsPerImage: 2_000_000,
    fp32TestAccuracy: 0.75,
    testCount: 4,
    layers: [{ name: 'conv1', type: 'Conv2D' }],
  },
];

export interface FakeEngine
  extends
    EngineHandle,
    Omit<FakeCharts, 'api'>,
    Omit<FakeSearch, 'api'>,
    Omit<FakeQat, 'api' | 'cancel'> {
  starts: BackendRequest[];
  quantized: ExperimentConfig[];
  terminated: number;
  loseDevice(message: string): void;
  /** Resolves the pending evaluation (after its progress events). */
  finishEval(): void;
  /** Makes the next qat call fail with this message (e.g. a QAT_SETUP error). */
  qatFailure: string | null;
  /** Each uploadModel call's files (name and byte length), and a scripted failure for the next. */
  uploads: { name: string; bytes: number }[][];
  uploadFailure: string | null;
}

export function createFakeEngineFactory(): { factory: () => EngineHandle; engines: FakeEngine[] } {
  const engines: FakeEngine[] = [];
  const factory = () => {
    let lost: ((m: string) => void) | null = null;
    let uploaded = 0;
    const charts = createFakeCharts();
    const search = createFakeSearch();
    const qat = createFakeQat(() => fake.qatFailure);
    let pending: {
      resolve: (r: Fp32Result) => void;
      reject: (e: Error) => void;
      modelId: string;
    } | null = null;
    const fake: FakeEngine = {
      starts: [],
      quantized: [],
      terminated: 0,
      loseDevice: (m) => lost?.(m),
      finishEval: () => {
        pending?.resolve({
          modelId: pending.modelId,
          backend: 'wasm',
          count: 4,
          correct: 3,
          accuracy: 0.75,
          millis: 12,
        });
        pending = null;
      },
      trained: qat.trained,
      qatCalls: qat.qatCalls,
      qatFailure: null,
      uploads: [],
      uploadFailure: null,
      layerCalls: charts.layerCalls,
      sweeps: charts.sweeps,
      sweepStep: charts.sweepStep,
      searches: search.searches,
      searchStep: search.searchStep,
      qatStep: qat.qatStep,
      finishQat: qat.finishQat,
      terminate: () => {
        fake.terminated++;
      },
      api: {} as EngineApi,
    };
    fake.api = {
      start: async (request, _base, onLost) => {
        fake.starts.push(request);
        lost = onLost;
        const backend = request === 'auto' ? 'wasm' : request;
        return { backend, reason: `fake ${request}`, adapter: 'none', isFallbackAdapter: null };
      },
      listModels: async () => FAKE_MODELS,
      uploadModel: async (files) => {
        fake.uploads.push(files.map((f) => ({ name: f.name, bytes: f.bytes.byteLength })));
        if (fake.uploadFailure) throw new Error(fake.uploadFailure);
        const json = files.find((f) => f.name.endsWith('.json'));
        if (!json) throw new Error('None of the files is a model.json.');
        uploaded++; // ids count accepted uploads only, as the engine's do
        return { ...uploadedCard(json.name), id: `custom-${uploaded}` };
      },
      evaluateFp32: (req, onProgress) =>
        new Promise<Fp32Result>((resolve, reject) => {
          onProgress({ phase: 'FP32 evaluation', done: 2, total: 4 });
          pending = { resolve, reject, modelId: req.modelId };
        }),
      quantize: async (config, options, onUpdate) => {
        fake.quantized.push(config);
        const result = fakeQuantResult(config, options.sensitivity);
        onUpdate({
          progress: { phase: 'Weights quantized', done: 1, total: 1 },
          result: { ...result, stage: 'weights' },
        });
        return result;
      },
      debugFlow: async (config, onProgress) => {
        onProgress({ phase: 'Weights only', done: 3, total: 6 });
        return fakeDebugReport(config);
      },
      aimetEncodings: async () => (fake.quantized.length ? '{"version":"0.6.1"}' : null),
      exportPtq: async () =>
        fake.quantized.length
          ? {
              modelJson: '{}',
              weightsBin: new ArrayBuffer(4),
              encodingsJson: '{"version":"0.6.1"}',
            }
          : null,
      exportQat: async () =>
        fake.trained.length
          ? {
              modelJson: '{}',
              weightsBin: new ArrayBuffer(4),
              encodingsJson: '{"version":"0.6.1"}',
            }
          : null,
      ...qat.api,
      ...charts.api,
      ...search.api,
      cancel: async () => {
        pending?.reject(new Error('cancelled'));
        pending = null;
        qat.cancel();
      },
    };
    engines.push(fake);
    return fake;
  };
  return { factory, engines };
}

/** The card the fake engine lists for an upload whose model.json is `title`. */
export function uploadedCard(title: string): ModelCard {
  const mlp = FAKE_MODELS[0] as ModelCard;
  return { ...mlp, id: 'custom-1', title, fp32TestAccuracy: 0, testCount: 0, uploaded: true };
}

export function fakeQuantResult(config: ExperimentConfig, sensitivity: boolean): QuantResult {
  const bits = config.weights === 'fp32' ? 32 : config.weights.bits;
  return {
    modelId: config.model,
    backend: 'wasm',
    link: 'v=1',
    stage: 'done',
    count: 4,
    fp32Accuracy: 0.75,
    quantAccuracy: bits >= 8 ? 0.75 : 0.5,
    outputSqnrDb: 6 * bits,
    layers: [
      {
        node: 'conv1',
        layer: 'conv1',
        type: 'conv2d',
        outputShape: [null, 28, 28, 8],
        weight: { choice: `${bits}-sym-pc-minmax`, sqnrDb: 6 * bits, encoding: null },
        activation: { choice: '8-asym-pt-minmax', sqnrDb: 40, encoding: null },
        sensitivity: sensitivity ? { accuracy: 0.7, outputSqnrDb: 30 } : null,
        cumulative: sensitivity ? { accuracy: 0.7, outputSqnrDb: 30 } : null,
        integer: null,
      },
    ],
    folded: { batchNorms: [{ batchNorm: 'bn1', into: 'conv1' }], activations: [] },
    warnings: [],
    integer: null,
    ptq: null,
    millis: { weights: 1, calibration: 2, evaluation: 3, sensitivity: 0 },
  };
}

export function fakeDebugReport(config: ExperimentConfig): DebugReport {
  return {
    modelId: config.model,
    link: 'v=1',
    count: 4,
    sanity: { predictAccuracy: 0.75, bypassedAccuracy: 0.75, passed: true },
    quantizedAccuracy: 0.5,
    weightsOnlyAccuracy: 0.5,
    activationsOnlyAccuracy: 0.75,
    culprit: 'weights',
    quantizers: [
      { node: 'conv1', kind: 'weights', type: 'depthwiseConv2d', accuracy: 0.5 },
      { node: 'conv1', kind: 'activations', type: 'depthwiseConv2d', accuracy: 0.75 },
    ],
    suggestions: [
      { text: 'Try per-channel <b>weights</b>.', link: 'v=1&model=cnn', accuracy: 0.75 },
    ],
    millis: 5,
  };
}
