/**
 * Which TF.js backend to run on, and why. Decided once, before any tensor exists
 * (tfjs-notes.md §0.2: switching backends with live WebGPU tensors silently zeroes them);
 * a different choice means a fresh worker.
 */

export type BackendName = 'webgpu' | 'wasm' | 'cpu';
export type { BackendRequest } from '@/config/schema';
import type { BackendRequest } from '@/config/schema';

/** What the WebGPU probe found: no adapter, only a software fallback one, or real hardware. */
export type WebGpuProbe =
  | { kind: 'none'; detail: string }
  | { kind: 'fallback'; detail: string }
  | { kind: 'hardware'; detail: string };

export interface BackendChoice {
  backend: BackendName;
  reason: string;
}

/**
 * Auto: WebGPU on a real adapter; WASM when the only adapter is a fallback (SwiftShader runs a
 * small conv net ~300x slower than WASM, machine-notes.md) or there is none; CPU last.
 * A forced choice is honoured when it can run at all.
 */
export function chooseBackend(
  request: BackendRequest,
  probe: WebGpuProbe,
  wasmAvailable: boolean,
): BackendChoice {
  if (request === 'webgpu') {
    if (probe.kind !== 'none') {
      return {
        backend: 'webgpu',
        reason: `forced by the user (${probe.kind === 'fallback' ? 'fallback adapter, slow' : 'hardware adapter'}: ${probe.detail})`,
      };
    }
    return fallBack(`WebGPU was requested but is unavailable (${probe.detail})`, wasmAvailable);
  }
  if (request === 'wasm') {
    return wasmAvailable
      ? { backend: 'wasm', reason: 'forced by the user' }
      : { backend: 'cpu', reason: 'WASM was requested but could not start; using CPU' };
  }
  if (request === 'cpu') return { backend: 'cpu', reason: 'forced by the user' };
  if (probe.kind === 'hardware') {
    return { backend: 'webgpu', reason: `hardware WebGPU adapter found (${probe.detail})` };
  }
  const why =
    probe.kind === 'fallback'
      ? `the only WebGPU adapter is a software fallback (${probe.detail}), much slower than WASM`
      : `no WebGPU adapter (${probe.detail})`;
  return fallBack(why, wasmAvailable);
}

function fallBack(why: string, wasmAvailable: boolean): BackendChoice {
  return wasmAvailable
    ? { backend: 'wasm', reason: `${why}; using WASM` }
    : { backend: 'cpu', reason: `${why}, and WASM could not start; using CPU` };
}
