/**
 * QIntRequantize on the host backends: acc (int32, channels on the last axis) → codes of the
 * next layer's grid, per channel, with quant/intArith.ts requantizeFixedPoint (gemmlowp/TFLite
 * multiplier + shift) or requantizeFloat (float32, ties to even). Parameters of length 1 apply
 * to every channel (per tensor).
 */
import type * as tf from '@tensorflow/tfjs';
import { requantizeFixedPoint, requantizeFloat } from '@/quant/intArith';
import { QINT_REQUANTIZE, requantizeInputNames, type QIntRequantizeAttrs } from '../names';
import { attrsOf, input, runOnHost, type HostBackendName } from './hostIO';

export function makeRequantizeKernelFunc(backendName: HostBackendName): tf.KernelFunc {
  return (args) => {
    const attrs = attrsOf<QIntRequantizeAttrs>(args);
    const names = requantizeInputNames(attrs.mode);
    const accInfo = input(args, QINT_REQUANTIZE, 'acc');
    return runOnHost(backendName, args, QINT_REQUANTIZE, names, [accInfo.shape], (ins, [out]) => {
      const acc = ins['acc'];
      const first = ins[names[1] ?? ''];
      if (!out || !acc || !first) throw new Error(`${QINT_REQUANTIZE}: missing arrays`);
      const channels = first.length;
      const grid = { zeroPoint: attrs.zeroPoint, qmin: attrs.qmin, qmax: attrs.qmax };
      if (attrs.mode === 'float') {
        for (let i = 0; i < acc.length; i++)
          out[i] = requantizeFloat(acc[i] as number, first[i % channels] as number, grid);
        return;
      }
      const shift = ins['shift'] ?? new Int32Array(channels);
      for (let i = 0; i < acc.length; i++) {
        const c = i % channels;
        const q = { multiplier: first[c] as number, shift: shift[c] as number };
        out[i] = requantizeFixedPoint(acc[i] as number, q, grid);
      }
    })[0] as tf.TensorInfo;
  };
}
