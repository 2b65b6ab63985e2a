/**
 * Starts a TF.js backend in Node (scripts, CLI, unit tests): the missing WASM gradient kernels
 * are registered, the WASM binaries are read from the installed package, and the boolean from
 * setBackend is checked (a failed setBackend leaves the engine unusable, tfjs-notes.md §0.5).
 * Call it before any tensor exists: moving live tensors between backends corrupts them (§0.2).
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerIntKernels } from '../kernels/register';
import { registerWasmGradKernels } from '../kernels/wasm/registerWasmGradKernels';

/** The package's dist/ folder as a path with a trailing slash (what Emscripten's loader joins). */
export function wasmDistDir(): string {
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return `${dirname(main)}/`;
}

let wasmPathsSet = false;

export async function useNodeBackend(name: 'wasm' | 'cpu'): Promise<void> {
  registerWasmGradKernels();
  registerIntKernels();
  if (name === 'wasm' && !wasmPathsSet) {
    setWasmPaths(wasmDistDir());
    wasmPathsSet = true;
  }
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name)
    throw new Error(`TF.js backend "${name}" could not start in Node`);
  await tf.ready();
}
