/**
 * Starts a TF.js backend in the browser or a worker: probes WebGPU, picks per select.ts,
 * sets it (checking setBackend's boolean, tfjs-notes.md §0.5) and falls back down the
 * chain when a backend fails to start. Runs once per worker, before any model exists.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import wasmThreadedScript from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';
import type { BackendInfo } from '../events';
import { registerIntKernels } from '../kernels/register';
import { registerWasmGradKernels } from '../kernels/wasm/registerWasmGradKernels';
import { applyBackendFlags, wasmThreadsOn } from './flags';
import { wantedWasmThreads, withThreadsAllowed } from './wasmThreads';
import { chooseBackend, type BackendName, type BackendRequest, type WebGpuProbe } from './select';

const FALLBACK_CHAIN: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

/** Asks navigator.gpu for an adapter; Chromium 156 reports the fallback flag on adapter.info. */
export async function probeWebGpu(): Promise<WebGpuProbe> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { kind: 'none', detail: 'navigator.gpu is missing' };
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { kind: 'none', detail: `requestAdapter failed: ${String(e)}` };
  }
  if (!adapter) return { kind: 'none', detail: 'requestAdapter() returned null' };
  const info = (adapter as GPUAdapter & { info?: AdapterInfoLike }).info ?? {};
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const fallback = info.isFallbackAdapter ?? legacy ?? false;
  const detail = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return { kind: fallback ? 'fallback' : 'hardware', detail: detail || 'unnamed adapter' };
}

async function trySet(name: BackendName): Promise<boolean> {
  try {
    // The project's kernels: integer-exact inference everywhere, WASM gradients for training.
    registerIntKernels();
    let threads = 1;
    if (name === 'wasm') {
      registerWasmGradKernels();
      applyBackendFlags();
      if (wasmThreadsOn()) {
        // TF.js caps this at hardwareConcurrency / 2 unless withThreadsAllowed lifts it.
        threads = wantedWasmThreads(globalThis.navigator?.hardwareConcurrency);
        setThreadsCount(threads);
        // The pthread workers load this same-origin copy (vite.config.ts wasmThreadsScript).
        (globalThis as { __tfjsWasmThreadedScript?: string }).__tfjsWasmThreadedScript = new URL(
          wasmThreadedScript,
          globalThis.location.href,
        ).href;
      }
      setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmPlain,
        'tfjs-backend-wasm-simd.wasm': wasmSimd,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
      });
    }
    const set = async () => {
      const ok = await tf.setBackend(name);
      if (ok) await tf.ready();
      return ok;
    };
    const ok =
      threads > 1 ? await withThreadsAllowed(globalThis.navigator, threads, set) : await set();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Picks and starts a backend; `onDeviceLost` fires if a WebGPU device is lost later. */
export async function startBackend(
  request: BackendRequest,
  onDeviceLost: (message: string) => void,
): Promise<BackendInfo> {
  const probe = await probeWebGpu();
  const choice = chooseBackend(request, probe, true);
  // Whatever fails to start hands over to the next one down the chain.
  const chain = FALLBACK_CHAIN.slice(FALLBACK_CHAIN.indexOf(choice.backend));
  const failed: BackendName[] = [];
  for (const name of chain) {
    if (!(await trySet(name))) {
      failed.push(name);
      continue;
    }
    if (name === 'webgpu') watchDeviceLoss(onDeviceLost);
    const reason = failed.length
      ? `${failed.join(' and ')} failed to start, using ${name} (first choice: ${choice.reason})`
      : choice.reason;
    return {
      backend: name,
      reason:
        name === 'wasm' && wasmThreadsOn() ? `${reason}; ${getThreadsCount()} threads` : reason,
      adapter: probe.detail,
      isFallbackAdapter: probe.kind === 'none' ? null : probe.kind === 'fallback',
    };
  }
  throw new Error(`No TF.js backend could start (tried ${failed.join(', ')})`);
}

function watchDeviceLoss(onDeviceLost: (message: string) => void): void {
  const backend = tf.backend() as unknown as { device?: GPUDevice };
  backend.device?.lost.then((info) => onDeviceLost(info.message || info.reason || 'device lost'));
}
