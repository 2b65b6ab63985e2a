/**
 * Test-only page: `window.runEval(backend, model, n)` starts a fresh engine worker on that
 * backend, evaluates the first n test items of a zoo model in FP32 and returns the backend
 * info and the softmax outputs, so e2e tests can compare backends on the same images.
 */
import {
  createEngineClient,
  type BackendInfo,
  type BackendRequest,
  type Fp32Result,
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

(window as unknown as { runEval: typeof runEval }).runEval = runEval;
document.body.dataset['ready'] = 'true';
