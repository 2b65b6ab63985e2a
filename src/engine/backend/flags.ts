/**
 * Every TF.js tunable the app sets, in one place (tfjs flags_webgpu.ts idea), each with why.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Threaded WASM, on only in a build with VITE_WASM_THREADS=1: its pthread workers now start in
 * the bundled app (vite.config.ts wasmThreadsScript), but TF.js still reports one thread on 2
 * cores, so no speed-up was measured (docs/performance.md); single-threaded SIMD by default.
 */
export const WASM_THREADS = import.meta.env?.['VITE_WASM_THREADS'] === '1';

export function applyBackendFlags(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', WASM_THREADS);
}
