/**
 * Shared plumbing for the JS gradient kernels on the WASM backend: typed access to the
 * backend and to kernel attributes, and NHWC geometry from tf.backend_util.computeConv2DInfo.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };

/** What the engine passes to a kernelFunc (tf.KernelFunc's parameter, with our backend). */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

export function wasmBackendOf(args: WasmKernelArgs): BackendWasm {
  return args.backend as BackendWasm;
}

/** Kernel attributes arrive as a loose NamedAttrMap; each kernel names its own attr type. */
export function attrsOf<T>(args: WasmKernelArgs): T {
  return args.attrs as unknown as T;
}

export function inputOf(args: WasmKernelArgs, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`WASM gradient kernel: missing input "${name}"`);
  if (t.dtype !== 'float32') throw new Error(`WASM gradient kernel: "${name}" must be float32`);
  return t;
}

export type Shape4 = [number, number, number, number];

export function shape4(shape: readonly number[], what: string): Shape4 {
  if (shape.length !== 4)
    throw new Error(`${what} must be rank 4 (NHWC), got [${shape.join(',')}]`);
  return [shape[0] ?? 0, shape[1] ?? 0, shape[2] ?? 0, shape[3] ?? 0];
}

/**
 * The first and one-past-last output index o with 0 <= o*stride + offset < size, so inner
 * loops run without bounds checks (offset = tap*dilation - pad).
 */
export function validRange(
  outSize: number,
  stride: number,
  offset: number,
  size: number,
): [number, number] {
  const lo = Math.max(0, Math.ceil(-offset / stride));
  const hi = Math.min(outSize, Math.ceil((size - offset) / stride));
  return [lo, Math.max(lo, hi)];
}

/** a [m, k] x b [k, n] on the backend's own BatchMatMul (XNNPACK); returns [1, m, n]. */
export function wasmMatMul(
  backend: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo {
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (!matMul) throw new Error('WASM BatchMatMul kernel not found');
  // Only the untransposed product is fast: the transposed variants use a naive loop (~10x slower).
  return matMul.kernelFunc({
    inputs: { a, b },
    backend,
    attrs: { transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
}

/** Rows [start, end) of a row-major [rows, cols] tensor as a new tensor (the caller disposes it). */
export function copyRows(
  backend: BackendWasm,
  t: tf.TensorInfo,
  cols: number,
  start: number,
  end: number,
): tf.TensorInfo {
  const out = backend.makeOutput([end - start, cols], 'float32');
  const src = backend.typedArrayFromHeap(t);
  backend.typedArrayFromHeap(out).set(src.subarray(start * cols, end * cols));
  return out;
}
