/**
 * Conv2DBackpropFilter for the WASM backend, which TF.js 4.22 lacks (machine-notes.md).
 * dW[kh,kw,ci,co] = sum over (n,ho,wo) of x[n, ho*s+kh-pad, wo*s+kw-pad, ci] * dy[n,ho,wo,co],
 * computed as one matmul: an im2col gather of x, laid out transposed as [kh*kw*ci, N*Ho*Wo],
 * times dy viewed as [N*Ho*Wo, co], giving the filter layout [kh,kw,ci,co] directly. The
 * product runs on the backend's own BatchMatMul (XNNPACK); its transposed variants fall back
 * to a naive loop about 10x slower, hence the transposed gather here.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type BackendWasm,
  type WasmKernelArgs,
  attrsOf,
  copyRows,
  inputOf,
  shape4,
  validRange,
  wasmBackendOf,
  wasmMatMul,
} from './wasmKernelUtil';

/** Largest gather buffer (floats) before the batch is split into chunks: 64 MiB. */
const MAX_GATHER_FLOATS = 16 * 1024 * 1024;

export function conv2DBackpropFilter(args: WasmKernelArgs): tf.TensorInfo {
  return conv2DBackpropFilterChunked(args, MAX_GATHER_FLOATS);
}

/** The kernel with an explicit gather budget (tests use a tiny one to exercise chunking). */
export function conv2DBackpropFilterChunked(
  args: WasmKernelArgs,
  maxGatherFloats: number,
): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const x = inputOf(args, 'x');
  const dy = inputOf(args, 'dy');
  const attrs = attrsOf<tf.Conv2DBackpropFilterAttrs>(args);
  if (attrs.dataFormat === 'NCHW')
    throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = tf.backend_util.computeConv2DInfo(
    shape4(x.shape, 'x'),
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const rowsPerImage = info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const imagesPerChunk = Math.max(1, Math.floor(maxGatherFloats / (k * rowsPerImage)));
  let result: tf.TensorInfo | null = null;
  for (let n0 = 0; n0 < info.batchSize; n0 += imagesPerChunk) {
    const n1 = Math.min(info.batchSize, n0 + imagesPerChunk);
    const part = chunkProduct(backend, x, dy, info, n0, n1);
    if (result === null) {
      result = part;
    } else {
      const acc = backend.typedArrayFromHeap(result);
      const add = backend.typedArrayFromHeap(part);
      for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] ?? 0) + (add[i] ?? 0);
      backend.disposeData(part.dataId);
    }
  }
  if (result === null) {
    const zeros = backend.makeOutput(attrs.filterShape, 'float32');
    backend.typedArrayFromHeap(zeros).fill(0);
    return zeros;
  }
  return { dataId: result.dataId, shape: [...attrs.filterShape], dtype: 'float32' };
}

/** x^T dy for images [n0, n1): gather, then one BatchMatMul; returns [1, K, Cout]. */
function chunkProduct(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  n0: number,
  n1: number,
): tf.TensorInfo {
  const rowsPerImage = info.outHeight * info.outWidth;
  const m = (n1 - n0) * rowsPerImage;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const gathered = backend.makeOutput([k, m], 'float32');
  // A chunk of dy is copied out; a whole-batch run views dy in place.
  const whole = n0 === 0 && n1 === info.batchSize;
  const dyChunk = whole
    ? { dataId: dy.dataId, shape: [m, info.outChannels], dtype: 'float32' as const }
    : copyRows(backend, dy, info.outChannels, n0 * rowsPerImage, n1 * rowsPerImage);
  // Views only after every allocation: _malloc may grow (and detach) the wasm heap.
  gatherTransposed(
    backend.typedArrayFromHeap(x),
    backend.typedArrayFromHeap(gathered),
    info,
    n0,
    n1,
  );
  const product = wasmMatMul(backend, gathered, dyChunk);
  backend.disposeData(gathered.dataId);
  if (!whole) backend.disposeData(dyChunk.dataId);
  return product;
}

/**
 * out[(kh,kw,ci), (n,ho,wo)] = x[n, ho*sH+kh*dH-top, wo*sW+kw*dW-left, ci], 0 outside.
 * Indices are in range by construction (validRange), so reads are cast rather than defaulted.
 */
function gatherTransposed(
  x: tf.backend_util.TypedArray,
  out: tf.backend_util.TypedArray,
  info: tf.backend_util.Conv2DInfo,
  n0: number,
  n1: number,
): void {
  const { inHeight: h, inWidth: w, inChannels: cin, outHeight: ho, outWidth: wo } = info;
  const { strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const m = (n1 - n0) * ho * wo;
  out.fill(0);
  for (let kh = 0; kh < info.filterHeight; kh++) {
    const offH = kh * dh - info.padInfo.top;
    const [hoLo, hoHi] = validRange(ho, sh, offH, h);
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const offW = kw * dw - info.padInfo.left;
      const [woLo, woHi] = validRange(wo, sw, offW, w);
      for (let ci = 0; ci < cin; ci++) {
        const rowBase = ((kh * info.filterWidth + kw) * cin + ci) * m;
        for (let n = n0; n < n1; n++) {
          const outImage = rowBase + (n - n0) * ho * wo;
          for (let oh = hoLo; oh < hoHi; oh++) {
            const xRow = (n * h + oh * sh + offH) * w;
            const outRow = outImage + oh * wo;
            for (let ow = woLo; ow < woHi; ow++) {
              out[outRow + ow] = x[(xRow + ow * sw + offW) * cin + ci] as number;
            }
          }
        }
      }
    }
  }
}
