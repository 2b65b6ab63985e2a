/**
 * DepthwiseConv2dNativeBackpropInput for the WASM backend (missing in TF.js 4.22):
 * dx[n,ih,iw,c] = sum of dy[n,ho,wo,c*M+m] * W[kh,kw,c,m] over all (ho,wo,kh,kw,m) with
 * ih = ho*s+kh*d-pad and iw = wo*s+kw*d-pad. Written as a scatter from each output pixel, so
 * strides and dilations need no special cases.
 */
import * as tf from '@tensorflow/tfjs';
import {
  type WasmKernelArgs,
  attrsOf,
  inputOf,
  shape4,
  validRange,
  wasmBackendOf,
} from './wasmKernelUtil';

export function depthwiseConv2dNativeBackpropInput(args: WasmKernelArgs): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const dy = inputOf(args, 'dy');
  const filter = inputOf(args, 'filter');
  const attrs = attrsOf<tf.DepthwiseConv2dNativeBackpropInputAttrs>(args);
  const inShape = shape4(attrs.inputShape, 'inputShape');
  const info = tf.backend_util.computeConv2DInfo(
    inShape,
    shape4(filter.shape, 'filter'),
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const out = backend.makeOutput(inShape, 'float32');
  // Views only after makeOutput: its _malloc may grow (and detach) the wasm heap.
  const dx = backend.typedArrayFromHeap(out);
  const dyv = backend.typedArrayFromHeap(dy);
  const fv = backend.typedArrayFromHeap(filter);
  dx.fill(0);
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const cm = info.outChannels;
  const mult = cm / c;
  for (let kh = 0; kh < info.filterHeight; kh++) {
    const offH = kh * info.dilationHeight - info.padInfo.top;
    const [hoLo, hoHi] = validRange(ho, info.strideHeight, offH, h);
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const offW = kw * info.dilationWidth - info.padInfo.left;
      const [woLo, woHi] = validRange(wo, info.strideWidth, offW, w);
      const wBase = (kh * info.filterWidth + kw) * cm;
      for (let n = 0; n < info.batchSize; n++) {
        for (let oh = hoLo; oh < hoHi; oh++) {
          const dxRow = (n * h + oh * info.strideHeight + offH) * w;
          const dyRow = (n * ho + oh) * wo;
          for (let ow = woLo; ow < woHi; ow++) {
            const dxBase = (dxRow + ow * info.strideWidth + offW) * c;
            const dyBase = (dyRow + ow) * cm;
            for (let ci = 0; ci < c; ci++) {
              let sum = 0;
              for (let m = 0; m < mult; m++) {
                const j = ci * mult + m;
                sum += (dyv[dyBase + j] as number) * (fv[wBase + j] as number); // in range
              }
              dx[dxBase + ci] = (dx[dxBase + ci] as number) + sum;
            }
          }
        }
      }
    }
  }
  return out;
}
