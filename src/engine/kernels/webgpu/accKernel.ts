/**
 * WebGPU kernelFuncs of the accumulate kernels: run the program for the kernel, then split its
 * [numOut, ACC_RECORD] records into acc (outShape) and stats ([...outShape, STATS_WIDTH]) with
 * two raw i32 gathers, and free the records buffer.
 */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { STATS_WIDTH } from '@/quant/intArith';
import {
  ACC_INPUTS,
  QINT_CONV2D,
  QINT_DENSE,
  accGeometry,
  type AccGeometry,
  type QIntAccKernelName,
  type QIntConvAttrs,
} from '../names';
import { ACC_RECORD } from './accWgsl';
import type { IntAccProgram } from './accProgram';
import { IntGatherProgram } from './IntGatherProgram';
import { QIntConv2DProgram } from './QIntConv2DProgram';
import { QIntDenseProgram } from './QIntDenseProgram';
import { QIntDepthwiseConv2DProgram } from './QIntDepthwiseConv2DProgram';

type Uniforms = { type: 'int32' | 'uint32'; data: number[] }[];

function programFor(kernel: QIntAccKernelName, n: number, attrs: QIntConvAttrs): IntAccProgram {
  if (kernel === QINT_DENSE) return new QIntDenseProgram(n, attrs.overflow);
  if (kernel === QINT_CONV2D) return new QIntConv2DProgram(n, attrs.overflow, attrs.order);
  return new QIntDepthwiseConv2DProgram(n, attrs.overflow);
}

/** Values for accWgsl.ts ACC_UNIFORMS, in its order. */
function accUniformData(numOut: number, g: AccGeometry, attrs: QIntConvAttrs): Uniforms {
  const ints = [attrs.xZeroPoint, g.inH, g.inW, g.inC, g.kH, g.kW, g.mult, g.outH, g.outW]
    .concat([g.outC, g.strideH, g.strideW, g.dilH, g.dilW, g.padTop, g.padLeft])
    .map((v) => ({ type: 'int32' as const, data: [v] }));
  return [{ type: 'int32', data: [numOut] }, { type: 'uint32', data: [attrs.accBits] }, ...ints];
}

/** Copies `width` of every ACC_RECORD words from `offset` on, as a tensor of `shape`. */
function gather(
  backend: WebGPUBackend,
  records: tf.TensorInfo,
  shape: number[],
  width: number,
  offset: number,
): tf.TensorInfo {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = backend.runWebGPUProgram(new IntGatherProgram(size), [records], 'int32', [
    { type: 'int32', data: [width] },
    { type: 'int32', data: [ACC_RECORD] },
    { type: 'int32', data: [offset] },
  ]);
  // A reshape without a copy, as TF.js's own Reshape kernel returns it.
  return { dataId: out.dataId, shape, dtype: 'int32' };
}

export function makeWebGpuAccKernelFunc(kernel: QIntAccKernelName): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as QIntConvAttrs;
    const infos = ACC_INPUTS.map((name) => {
      const t = inputs[name];
      if (!t) throw new Error(`${kernel}: missing input "${name}"`);
      return t;
    });
    const [x, w] = infos as [tf.TensorInfo, tf.TensorInfo];
    const g = accGeometry(kernel, x.shape, w.shape, a);
    const numOut = g.outShape.reduce((p, d) => p * d, 1);
    const gpu = backend as WebGPUBackend;
    const program = programFor(kernel, numOut, a);
    const records = gpu.runWebGPUProgram(program, infos, 'int32', accUniformData(numOut, g, a));
    const acc = gather(gpu, records, g.outShape, 1, 0);
    const stats = gather(gpu, records, [...g.outShape, STATS_WIDTH], STATS_WIDTH, 1);
    gpu.disposeData(records.dataId);
    return [acc, stats];
  };
}
