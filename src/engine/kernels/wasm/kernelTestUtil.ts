/** Helpers for the WASM kernel tests: seeded inputs, backend round trips, tolerant comparison. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { mulberry32, randNormal } from '@/quant/random';
import { useNodeBackend } from '../../backend/node';

export type Shape4 = [number, number, number, number];

export function randomArray(n: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => randNormal(rng));
}

/**
 * Runs `f` on a backend and returns its plain-array result. Tensors never outlive a run (moving
 * live tensors between backends corrupts them, tfjs-notes.md §0.2), which is also asserted.
 */
export async function onBackend<T>(backend: 'cpu' | 'wasm', f: () => T): Promise<T> {
  await useNodeBackend(backend);
  const before = tf.memory().numTensors;
  const out = f();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

export function readAndDispose(t: tf.Tensor | tf.Tensor[]): Float32Array[] {
  const list = Array.isArray(t) ? t : [t];
  const values = list.map((x) => x.dataSync() as Float32Array);
  tf.dispose(list);
  return values;
}

/** Largest |actual - expected| relative to max |expected| stays below `rel`. */
export function expectClose(
  actual: Float32Array | undefined,
  expected: Float32Array | undefined,
  rel = 1e-4,
): void {
  if (!actual || !expected) throw new Error('missing result');
  expect(actual.length).toBe(expected.length);
  let scale = 1e-6;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] ?? NaN) - (expected[i] ?? 0)) / scale);
  }
  expect(worst).toBeLessThan(rel);
}

/** Runs one kernel by name on the current backend, reads its output and disposes the inputs. */
export function runKernel(
  name: string,
  inputs: Record<string, tf.Tensor>,
  attrs: object,
): Float32Array {
  const [out] = readAndDispose(
    tf.tidy(() => tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor),
  );
  tf.dispose(Object.values(inputs));
  if (!out) throw new Error(`${name} returned nothing`);
  return out;
}
