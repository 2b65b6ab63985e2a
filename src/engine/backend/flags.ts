/**
 * Every TF.js tunable the app sets, in one place (tfjs flags_webgpu.ts idea), each with why.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The threaded WASM build's pthread workers, created from a blob, fail under the bundled app
 * ("e is not defined"), and a first measurement showed no speed-up on 2 cores
 * (machine-notes.md); run single-threaded SIMD until threading is made to work and measured.
 */
export const WASM_THREADS = false;

export function applyBackendFlags(): void {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', WASM_THREADS);
}
