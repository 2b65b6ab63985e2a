/**
 * Test-only page: on load, starts the TF.js backend named by `?backend=webgpu|wasm|cpu`
 * (default wasm), registers the integer kernels and runs the conformance suite
 * (src/engine/kernels/conformance.ts), optionally only the cases whose name contains
 * `?filter=`. The outcome goes to `window.__conformance` and to the page; `data-done` on
 * <body> marks the end.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { probeWebGpu } from '@/engine/backend/browser';
import { runConformance, type ConformanceResult } from '@/engine/kernels/conformance';
import { registerIntKernels } from '@/engine/kernels/register';

export interface ConformanceOutcome {
  backend: string;
  adapter?: string;
  ms?: number;
  results?: ConformanceResult[];
  /** Tensors (and, on WebGPU, bytes of live GPU buffers) left over by the whole run. */
  leakedTensors?: number;
  leakedGpuBytes?: number;
  error?: string;
}

const gpuBytes = (): number => (tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? 0;

async function start(name: string): Promise<void> {
  // Single-threaded WASM, as the app runs it (src/engine/backend/flags.ts).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (name === 'wasm')
    setWasmPaths({
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    });
  // Check the boolean: a failed setBackend leaves the engine unusable (tfjs-notes.md §0.5).
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name)
    throw new Error(`TF.js backend "${name}" could not start`);
  await tf.ready();
}

async function main(): Promise<ConformanceOutcome> {
  const params = new URLSearchParams(location.search);
  const backend = params.get('backend') ?? 'wasm';
  const filter = params.get('filter') ?? '';
  const outcome: ConformanceOutcome = { backend };
  try {
    if (backend === 'webgpu') {
      const probe = await probeWebGpu();
      outcome.adapter = `${probe.kind}: ${probe.detail}`;
    }
    await start(backend);
    registerIntKernels();
    const [tensors, bytes, t0] = [tf.memory().numTensors, gpuBytes(), performance.now()];
    outcome.results = await runConformance((n) => n.includes(filter));
    outcome.ms = Math.round(performance.now() - t0);
    outcome.leakedTensors = tf.memory().numTensors - tensors;
    outcome.leakedGpuBytes = gpuBytes() - bytes;
  } catch (e) {
    outcome.error = String(e);
  }
  return outcome;
}

void main().then((outcome) => {
  Object.assign(window, { __conformance: outcome });
  const failed = outcome.results?.filter((r) => !r.ok) ?? [];
  const out = document.getElementById('out');
  if (out)
    out.textContent = outcome.error
      ? `error: ${outcome.error}`
      : `${outcome.backend} (${outcome.adapter ?? 'no adapter probe'}): ` +
        `${(outcome.results?.length ?? 0) - failed.length}/${outcome.results?.length ?? 0} ` +
        `cases passed in ${outcome.ms ?? 0} ms; leaked ${outcome.leakedTensors ?? 0} tensors, ` +
        `${outcome.leakedGpuBytes ?? 0} GPU bytes\n` +
        failed.map((r) => JSON.stringify(r)).join('\n');
  document.body.dataset['done'] = 'true';
});
