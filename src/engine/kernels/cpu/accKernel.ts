/**
 * The host (cpu, wasm) driver shared by the three accumulate kernels: reads the int32 inputs,
 * checks the exactness precondition on the codes, allocates [acc, stats] and hands the kernel's
 * loop one quant/intArith.ts IntAccumulator to step in the documented order.
 */
import type * as tf from '@tensorflow/tfjs';
import { IntAccumulator, MAX_ABS_W, MAX_ABS_X, STATS_WIDTH } from '@/quant/intArith';
import {
  ACC_INPUTS,
  accGeometry,
  type AccGeometry,
  type QIntAccKernelName,
  type QIntConvAttrs,
} from '../names';
import { attrsOf, checkCodes, input, runOnHost, type HostBackendName } from './hostIO';

/** Views of the inputs (all int32) and outputs of one accumulate kernel call. */
export interface AccArrays {
  x: Int32Array;
  w: Int32Array;
  wZeroPoint: Int32Array;
  bias: Int32Array;
  acc: Int32Array;
  stats: Int32Array;
}

/** A kernel's loop: per output, acc.load(bias), acc.add(p) in order, then write acc and stats. */
export type AccLoop = (
  g: AccGeometry,
  a: AccArrays,
  xZeroPoint: number,
  acc: IntAccumulator,
  attrs: QIntConvAttrs,
) => void;

/** Weight zero point of weight element i: its output channel is the last axis (w's layout). */
function wChannelOf(g: AccGeometry, i: number): number {
  return g.depthwise ? i % (g.inC * g.mult) : i % g.outC;
}

export function makeAccKernelFunc(
  kernel: QIntAccKernelName,
  backendName: HostBackendName,
  loop: AccLoop,
): tf.KernelFunc {
  return (args) => {
    const attrs = attrsOf<QIntConvAttrs>(args);
    const xInfo = input(args, kernel, 'x');
    const g = accGeometry(kernel, xInfo.shape, input(args, kernel, 'w').shape, attrs);
    const outs = [g.outShape, [...g.outShape, STATS_WIDTH]];
    return runOnHost(backendName, args, kernel, ACC_INPUTS, outs, (ins, [acc, stats]) => {
      const int = (name: string): Int32Array => {
        const v = ins[name];
        if (!(v instanceof Int32Array)) throw new Error(`${kernel}: input "${name}" must be int32`);
        return v;
      };
      if (!acc || !stats) throw new Error(`${kernel}: outputs were not allocated`);
      const [x, w, wZeroPoint, bias] = ACC_INPUTS.map(int) as [
        Int32Array,
        Int32Array,
        Int32Array,
        Int32Array,
      ];
      const a: AccArrays = { x, w, wZeroPoint, bias, acc, stats };
      checkCodes(kernel, 'x', a.x, () => attrs.xZeroPoint, MAX_ABS_X);
      checkCodes(kernel, 'w', a.w, (i) => a.wZeroPoint[wChannelOf(g, i)] ?? 0, MAX_ABS_W);
      loop(g, a, attrs.xZeroPoint, new IntAccumulator(attrs.accBits, attrs.overflow), attrs);
    });
  };
}
