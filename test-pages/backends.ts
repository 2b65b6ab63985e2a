/**
 * Test-only page: `window.runEval(backend, model, n)` starts a fresh engine worker on that
 * backend, evaluates the first n test items of a zoo model in FP32 and returns the backend
 * info and the softmax outputs, so e2e tests can compare backends on the same images;
 * `window.runQuant(backend, hash)` runs one quantization experiment the same way, and
 * `window.runQat(backend, hash)` a tiny QAT; `openEngine` / `timeEval` / `timeQuant` time
 * evaluations (scripts/benchWasmThreads.ts, scripts/benchWebgpu.ts).
 */
import { decodeConfig } from '@/config/codec';
import {
  createEngineClient,
  type BackendInfo,
  type BackendRequest,
  type Fp32Result,
  type QatResult,
  type QuantResult,
} from '@/worker/api';

interface EvalOutcome {
  info: BackendInfo;
  result: Omit<Fp32Result, 'outputs'> & { outputs: number[] };
}

async function runEval(backend: BackendRequest, model: string, n: number): Promise<EvalOutcome> {
  const engine = createEngineClient();
  try {
    const info = await engine.api.start(backend, new URL('/', location.href).toString(), () => {});
    const r = await engine.api.evaluateFp32(
      { modelId: model, limit: n, keepOutputs: true },
      () => {},
    );
    const outcome = { info, result: { ...r, outputs: Array.from(r.outputs ?? []) } };
    const out = document.getElementById('out');
    if (out)
      out.textContent += `${JSON.stringify({ backend: info.backend, accuracy: r.accuracy })}\n`;
    return outcome;
  } finally {
    engine.terminate();
  }
}

/** Runs one quantization experiment (a share-link hash) on a fresh worker on `backend`. */
async function runQuant(
  backend: BackendRequest,
  hash: string,
): Promise<{ info: BackendInfo; result: QuantResult }> {
  const engine = createEngineClient();
  try {
    const info = await engine.api.start(backend, new URL('/', location.href).toString(), () => {});
    const result = await engine.api.quantize(
      decodeConfig(hash).config,
      { sensitivity: false },
      () => {},
    );
    return { info, result };
  } finally {
    engine.terminate();
  }
}

/** Runs a (tiny) QAT of a share-link hash on a fresh worker on `backend`. */
async function runQat(
  backend: BackendRequest,
  hash: string,
): Promise<{ info: BackendInfo; result: QatResult }> {
  const engine = createEngineClient();
  try {
    const info = await engine.api.start(backend, new URL('/', location.href).toString(), () => {});
    const result = await engine.api.qat(decodeConfig(hash).config, () => {});
    return { info, result };
  } finally {
    engine.terminate();
  }
}

let benchEngine: ReturnType<typeof createEngineClient> | null = null;

/** Bench hook (scripts/benchWasmThreads.ts): one long-lived worker, so warm-up is paid once. */
async function openEngine(backend: BackendRequest): Promise<BackendInfo> {
  benchEngine?.terminate();
  benchEngine = createEngineClient();
  return benchEngine.api.start(backend, new URL('/', location.href).toString(), () => {});
}

/** Worker-measured FP32 evaluation time of the first n test items on the open engine. */
async function timeEval(model: string, n: number): Promise<number> {
  if (!benchEngine) throw new Error('openEngine first');
  return (await benchEngine.api.evaluateFp32({ modelId: model, limit: n }, () => {})).millis;
}

/** Worker-measured stage times of one quantization experiment (a hash) on the open engine. */
async function timeQuant(hash: string): Promise<QuantResult['millis'] & { quantAccuracy: number }> {
  if (!benchEngine) throw new Error('openEngine first');
  const r = await benchEngine.api.quantize(
    decodeConfig(hash).config,
    { sensitivity: false },
    () => {},
  );
  return { ...r.millis, quantAccuracy: r.quantAccuracy ?? NaN };
}

Object.assign(window, { runEval, runQuant, runQat, openEngine, timeEval, timeQuant });
document.body.dataset['ready'] = 'true';
