/**
 * Every TF.js tunable the app sets, in one place (tfjs flags_webgpu.ts idea), each with why.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Threaded WASM, on only in a build with VITE_WASM_THREADS=1. It really runs on
 * hardwareConcurrency threads there (wasmThreads.ts lifts TF.js's hardwareConcurrency / 2 cap;
 * vite.config.ts wasmThreadsScript lets the pthread workers start in the bundle). Off by
 * default: on 2 cores, 2 threads were 0.81-0.87x single-threaded SIMD on cnn/resnet when the
 * cores were free but 2-4x slower when shared (docs/performance.md, "Threaded WASM").
 */
export const WASM_THREADS = import.meta.env?.['VITE_WASM_THREADS'] === '1';

/** Threads need SharedArrayBuffer, i.e. a cross-origin-isolated page (COOP + COEP headers). */
export function wasmThreadsOn(): boolean {
  return WASM_THREADS && globalThis.crossOriginIsolated === true;
}

export function applyBackendFlags(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', wasmThreadsOn());
}
