/**
 * The WASM replacements (Conv2DBackpropInput, Tile) agree with TF.js's CPU kernels, including
 * the chunked matmul paths (forced with a tiny budget) and a batch-norm gradient (which tiles).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../backend/node';
import { conv2DBackpropFilterChunked } from './Conv2DBackpropFilter';
import { makeConv2DBackpropInput } from './Conv2DBackpropInput';
import {
  type Shape4,
  expectClose,
  onBackend,
  randomArray,
  readAndDispose,
  runKernel,
} from './kernelTestUtil';
import type { WasmKernelArgs } from './wasmKernelUtil';

interface Case {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { name: '3x3 same s1', x: [3, 9, 9, 4], filter: [3, 3, 4, 5], strides: [1, 1], pad: 'same' },
  { name: '3x3 same s2', x: [2, 9, 10, 3], filter: [3, 3, 3, 6], strides: [2, 2], pad: 'same' },
  { name: '3x3 valid s2', x: [2, 11, 8, 2], filter: [3, 3, 2, 4], strides: [2, 2], pad: 'valid' },
  { name: '1x1 same s2', x: [4, 6, 6, 8], filter: [1, 1, 8, 3], strides: [2, 2], pad: 'same' },
  { name: '4x2 same s(2,1)', x: [2, 7, 9, 3], filter: [4, 2, 3, 2], strides: [2, 1], pad: 'same' },
];

function dyShapeOf(c: Case): Shape4 {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape as Shape4;
}

/** Calls a kernel function directly on the WASM backend and reads its output. */
function callDirect(
  kernel: (a: WasmKernelArgs) => tf.TensorInfo,
  inputs: Record<string, tf.Tensor>,
  attrs: object,
): Float32Array {
  const info = kernel({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap });
  const [out] = readAndDispose(tf.engine().makeTensorFromTensorInfo(info));
  if (!out) throw new Error('no output');
  return out;
}

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe.each(CASES)('Conv2DBackpropInput $name', (c) => {
  const dyShape = dyShapeOf(c);
  const dyv = randomArray(tf.util.sizeFromShape(dyShape), 21);
  const fv = randomArray(tf.util.sizeFromShape(c.filter), 22);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
  const inputs = (): Record<string, tf.Tensor> => ({
    dy: tf.tensor4d(dyv, dyShape),
    filter: tf.tensor4d(fv, c.filter),
  });

  it('matches the CPU kernel, whole batch and in chunks of one image', async () => {
    const cpu = await onBackend('cpu', () => runKernel('Conv2DBackpropInput', inputs(), attrs));
    expectClose(
      await onBackend('wasm', () => runKernel('Conv2DBackpropInput', inputs(), attrs)),
      cpu,
    );
    const chunked = makeConv2DBackpropInput(undefined, 1);
    const viaChunks = await onBackend('wasm', () => {
      const t = inputs();
      const out = callDirect(chunked, t, attrs);
      tf.dispose(Object.values(t));
      return out;
    });
    expectClose(viaChunks, cpu);
  });

  it('Conv2DBackpropFilter in chunks of one image matches the CPU kernel', async () => {
    const xv = randomArray(tf.util.sizeFromShape(c.x), 23);
    const fattrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    const make = (): Record<string, tf.Tensor> => ({
      x: tf.tensor4d(xv, c.x),
      dy: tf.tensor4d(dyv, dyShape),
    });
    const cpu = await onBackend('cpu', () => runKernel('Conv2DBackpropFilter', make(), fattrs));
    const viaChunks = await onBackend('wasm', () => {
      const t = make();
      const out = callDirect((a) => conv2DBackpropFilterChunked(a, 1), t, fattrs);
      tf.dispose(Object.values(t));
      return out;
    });
    expectClose(viaChunks, cpu);
  });
});

describe('Tile', () => {
  it.each([
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
    { shape: [2, 3], reps: [2, 3] },
    { shape: [4], reps: [5] },
    { shape: [2, 1, 3, 2, 2], reps: [1, 3, 1, 2, 2] },
    { shape: [3, 2], reps: [1, 1] },
  ])('float32 $shape x $reps matches CPU', async ({ shape, reps }) => {
    const v = randomArray(tf.util.sizeFromShape(shape), 31);
    const run = (): Float32Array => runKernel('Tile', { x: tf.tensor(v, shape) }, { reps });
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
  });

  it('tiles int32 and bool exactly and handles zero reps', async () => {
    await useNodeBackend('wasm');
    const ints = tf.tidy(() =>
      tf.tile(tf.tensor2d([1, -2, 3, 2147483647], [2, 2], 'int32'), [2, 1]),
    );
    expect(ints.dtype).toBe('int32');
    expect(ints.arraySync()).toEqual([
      [1, -2],
      [3, 2147483647],
      [1, -2],
      [3, 2147483647],
    ]);
    const bools = tf.tidy(() => tf.tile(tf.tensor1d([true, false], 'bool'), [2]));
    expect(Array.from(bools.dataSync())).toEqual([1, 0, 1, 0]);
    const empty = tf.tidy(() => tf.tile(tf.tensor1d([1, 2]), [0]));
    expect(empty.shape).toEqual([0]);
    tf.dispose([ints, bools, empty]);
  });
});

describe('batch-norm training gradient, WASM vs CPU', () => {
  it('agrees for x, gamma and beta', async () => {
    const shape: Shape4 = [4, 5, 5, 3];
    const xv = randomArray(tf.util.sizeFromShape(shape), 41);
    const run = (): Float32Array[] =>
      readAndDispose(
        tf.tidy(() => {
          const f = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Scalar => {
            const { mean, variance } = tf.moments(x, [0, 1, 2]);
            const y = tf.batchNorm(x, mean, variance, beta, gamma, 1e-3);
            return tf.sum(tf.mul(tf.relu(y), tf.sin(tf.range(0, y.size).reshape(y.shape))));
          };
          return tf.grads(f)([
            tf.tensor4d(xv, shape),
            tf.tensor1d([0.5, 1, 2]),
            tf.tensor1d([0.1, 0, -0.1]),
          ]);
        }),
      );
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    cpu.forEach((expected, i) => expectClose(wasm[i], expected));
  });
});
