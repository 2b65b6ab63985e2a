/**
 * A faster Tile for the WASM backend. TF.js 4.22's C++ Tile computes each output element's
 * source index separately (~75 ns per element here), and the BatchNormalization gradient tiles
 * a [C] vector to the full activation shape on every training step: it took a third of a conv
 * net's step time. This copies the innermost row once and doubles blocks with copyWithin.
 * String tensors go to the original kernel.
 */
import type * as tf from '@tensorflow/tfjs';
import { type WasmKernelArgs, attrsOf, wasmBackendOf } from './wasmKernelUtil';

export function makeTile(
  original: tf.KernelFunc | undefined,
): (args: WasmKernelArgs) => tf.TensorInfo {
  return (args) => {
    const x = args.inputs['x'];
    if (!x) throw new Error('Tile (wasm): missing input "x"');
    if (x.dtype === 'string' || x.dtype === 'complex64') {
      if (!original) throw new Error(`Tile (wasm): dtype ${x.dtype} is not supported`);
      return original(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const { reps } = attrsOf<tf.TileAttrs>(args);
    const backend = wasmBackendOf(args);
    const outShape = x.shape.map((d, i) => d * (reps[i] ?? 1));
    const out = backend.makeOutput(outShape, x.dtype);
    // Views only after makeOutput: its _malloc may grow (and detach) the wasm heap.
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    if (dst.length > 0) tileInto(src, x.shape, reps, outShape, dst);
    return out;
  };
}

/** Row-major tile of src (shape) into dst (outShape = shape * reps). */
export function tileInto(
  src: tf.backend_util.TypedArray,
  shape: readonly number[],
  reps: readonly number[],
  outShape: readonly number[],
  dst: tf.backend_util.TypedArray,
): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0] as number;
    return;
  }
  const srcStrides = new Array<number>(rank).fill(1);
  const dstStrides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    srcStrides[d] = (srcStrides[d + 1] as number) * (shape[d + 1] as number);
    dstStrides[d] = (dstStrides[d + 1] as number) * (outShape[d + 1] as number);
  }
  // Fills the block of dimension d at dstOff (shape[d] source slices, then reps[d] copies).
  const fill = (d: number, srcOff: number, dstOff: number): void => {
    const n = shape[d] as number;
    let block: number;
    if (d === rank - 1) {
      dst.set(src.subarray(srcOff, srcOff + n), dstOff);
      block = n;
    } else {
      for (let i = 0; i < n; i++) {
        fill(d + 1, srcOff + i * (srcStrides[d] as number), dstOff + i * (dstStrides[d] as number));
      }
      block = n * (dstStrides[d] as number);
    }
    const total = block * (reps[d] ?? 1);
    // The block repeats with period `block`, so doubling copies keep it periodic.
    for (let filled = block; filled < total;) {
      const len = Math.min(filled, total - filled);
      dst.copyWithin(dstOff + filled, dstOff, dstOff + len);
      filled += len;
    }
  };
  fill(0, 0, 0);
}
