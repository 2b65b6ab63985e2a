/** A fake EngineApi for store and UI tests: scripted answers, recorded calls, no TF.js. */
import type { BackendRequest, EngineApi, EngineHandle, Fp32Result, ModelCard } from '@/worker/api';

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

export interface FakeEngine extends EngineHandle {
  starts: BackendRequest[];
  terminated: number;
  loseDevice(message: string): void;
  /** Resolves the pending evaluation (after its progress events). */
  finishEval(): void;
}

export function createFakeEngineFactory(): { factory: () => EngineHandle; engines: FakeEngine[] } {
  const engines: FakeEngine[] = [];
  const factory = () => {
    let lost: ((m: string) => void) | null = null;
    let pending: {
      resolve: (r: Fp32Result) => void;
      reject: (e: Error) => void;
      modelId: string;
    } | null = null;
    const fake: FakeEngine = {
      starts: [],
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
      evaluateFp32: (req, onProgress) =>
        new Promise<Fp32Result>((resolve, reject) => {
          onProgress({ phase: 'FP32 evaluation', done: 2, total: 4 });
          pending = { resolve, reject, modelId: req.modelId };
        }),
      cancel: async () => {
        pending?.reject(new Error('cancelled'));
        pending = null;
      },
    };
    engines.push(fake);
    return fake;
  };
  return { factory, engines };
}
