/**
 * DepthwiseConv2dNativeBackpropFilter for the WASM backend (missing in TF.js 4.22):
 * dW[kh,kw,c,m] = sum over (n,ho,wo) of x[n, ho*s+kh*d-pad, wo*s+kw*d-pad, c] * dy[n,ho,wo,c*M+m].
 * A tight JS loop: the work is only N*Ho*Wo*KH*KW*C*M multiply-adds, and the filter and dy
 * channels share one layout (c*M+m), so the innermost loop walks both contiguously.
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

export function depthwiseConv2dNativeBackpropFilter(args: WasmKernelArgs): tf.TensorInfo {
  const backend = wasmBackendOf(args);
  const x = inputOf(args, 'x');
  const dy = inputOf(args, 'dy');
  const attrs = attrsOf<tf.DepthwiseConv2dNativeBackpropFilterAttrs>(args);
  const info = tf.backend_util.computeConv2DInfo(
    shape4(x.shape, 'x'),
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  // Views only after makeOutput: its _malloc may grow (and detach) the wasm heap.
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  const acc = new Float64Array(tf.util.sizeFromShape(attrs.filterShape));
  const { inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const cm = info.outChannels; // c * channel multiplier
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
          const xRow = (n * h + oh * info.strideHeight + offH) * w;
          const dyRow = (n * ho + oh) * wo;
          for (let ow = woLo; ow < woHi; ow++) {
            const xBase = (xRow + ow * info.strideWidth + offW) * c;
            const dyBase = (dyRow + ow) * cm;
            for (let ci = 0; ci < c; ci++) {
              const xval = xv[xBase + ci] as number; // in range by validRange
              for (let m = 0; m < mult; m++) {
                const j = ci * mult + m;
                acc[wBase + j] = (acc[wBase + j] as number) + xval * (dyv[dyBase + j] as number);
              }
            }
          }
        }
      }
    }
  }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}
