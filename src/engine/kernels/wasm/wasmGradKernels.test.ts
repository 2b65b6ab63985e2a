/**
 * The JS gradient kernels on WASM agree with TF.js's CPU kernels (the reference) on random
 * inputs: strides, same/valid padding, channel multipliers, and whole tf.grads through
 * conv2d/depthwiseConv2d. Dilations (which the CPU kernels ignore) are checked by the adjoint
 * identity <dy, conv(x, W)> = <dW, W> = <dx, x> against WASM's own forward convolution.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../backend/node';
import {
  type Shape4,
  expectClose,
  onBackend,
  randomArray,
  readAndDispose,
  runKernel,
} from './kernelTestUtil';
import {
  WASM_GRAD_KERNEL_NAMES,
  isOurWasmKernel,
  registerWasmGradKernels,
} from './registerWasmGradKernels';

interface ConvCase {
  name: string;
  x: Shape4;
  filter: Shape4;
  strides: [number, number];
  pad: 'same' | 'valid';
}

const CONV_CASES: ConvCase[] = [
  { name: '3x3 same s1', x: [3, 9, 9, 4], filter: [3, 3, 4, 5], strides: [1, 1], pad: 'same' },
  { name: '3x3 same s2', x: [2, 9, 10, 3], filter: [3, 3, 3, 6], strides: [2, 2], pad: 'same' },
  { name: '3x3 valid s2', x: [2, 11, 8, 2], filter: [3, 3, 2, 4], strides: [2, 2], pad: 'valid' },
  { name: '1x1 valid s1', x: [4, 5, 5, 8], filter: [1, 1, 8, 3], strides: [1, 1], pad: 'valid' },
  { name: '5x3 same s(1,2)', x: [2, 7, 9, 3], filter: [5, 3, 3, 2], strides: [1, 2], pad: 'same' },
];

const DW_CASES: ConvCase[] = [
  { name: '3x3 same s1 m1', x: [3, 8, 8, 5], filter: [3, 3, 5, 1], strides: [1, 1], pad: 'same' },
  { name: '3x3 same s2 m1', x: [2, 9, 10, 4], filter: [3, 3, 4, 1], strides: [2, 2], pad: 'same' },
  {
    name: '3x3 valid s2 m3',
    x: [2, 11, 9, 3],
    filter: [3, 3, 3, 3],
    strides: [2, 2],
    pad: 'valid',
  },
  { name: '5x5 same s1 m2', x: [2, 7, 6, 4], filter: [5, 5, 4, 2], strides: [1, 1], pad: 'same' },
];

function outShape(c: ConvCase, depthwise: boolean): Shape4 {
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    c.filter,
    c.strides,
    1,
    c.pad,
    undefined,
    depthwise,
  );
  return info.outShape as Shape4;
}

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe('registerWasmGradKernels', () => {
  it('registers every kernel for wasm as ours, idempotently', () => {
    registerWasmGradKernels();
    const funcs = WASM_GRAD_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc);
    registerWasmGradKernels();
    expect(WASM_GRAD_KERNEL_NAMES.map((n) => tf.getKernel(n, 'wasm')?.kernelFunc)).toEqual(funcs);
    for (const name of WASM_GRAD_KERNEL_NAMES) expect(isOurWasmKernel(name)).toBe(true);
    expect(WASM_GRAD_KERNEL_NAMES).toContain('Conv2DBackpropFilter');
    expect(WASM_GRAD_KERNEL_NAMES).toContain('DepthwiseConv2dNativeBackpropInput');
  });
});

describe.each(CONV_CASES)('Conv2DBackpropFilter $name', (c) => {
  it('matches the CPU kernel', async () => {
    const dyShape = outShape(c, false);
    const xv = randomArray(tf.util.sizeFromShape(c.x), 1);
    const dyv = randomArray(tf.util.sizeFromShape(dyShape), 2);
    const run = (): Float32Array =>
      runKernel(
        'Conv2DBackpropFilter',
        { x: tf.tensor4d(xv, c.x), dy: tf.tensor4d(dyv, dyShape) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter },
      );
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expect(wasm.length).toBe(tf.util.sizeFromShape(c.filter));
    expectClose(wasm, cpu);
  });
});

describe.each(DW_CASES)('depthwise backprop $name', (c) => {
  const dyShape = outShape(c, true);
  const xv = randomArray(tf.util.sizeFromShape(c.x), 3);
  const fv = randomArray(tf.util.sizeFromShape(c.filter), 4);
  const dyv = randomArray(tf.util.sizeFromShape(dyShape), 5);
  const attrs = { strides: c.strides, pad: c.pad, dilations: [1, 1] };

  it('filter gradient matches the CPU kernel', async () => {
    const run = (): Float32Array =>
      runKernel(
        'DepthwiseConv2dNativeBackpropFilter',
        { x: tf.tensor4d(xv, c.x), dy: tf.tensor4d(dyv, dyShape) },
        { ...attrs, filterShape: c.filter },
      );
    expectClose(await onBackend('wasm', run), await onBackend('cpu', run));
  });

  it('input gradient matches the CPU kernel', async () => {
    const run = (): Float32Array =>
      runKernel(
        'DepthwiseConv2dNativeBackpropInput',
        { dy: tf.tensor4d(dyv, dyShape), filter: tf.tensor4d(fv, c.filter) },
        { ...attrs, inputShape: c.x },
      );
    expectClose(await onBackend('wasm', run), await onBackend('cpu', run));
  });
});

describe('dilated depthwise kernels (adjoint identity on WASM)', () => {
  it.each([
    { x: [2, 9, 9, 3] as Shape4, filter: [3, 3, 3, 2] as Shape4, pad: 'same' as const },
    { x: [1, 10, 8, 2] as Shape4, filter: [3, 2, 2, 1] as Shape4, pad: 'valid' as const },
  ])('dilation 2, $pad', async (c) => {
    await useNodeBackend('wasm');
    const dil: [number, number] = [2, 2];
    const [lhs, viaFilter, viaInput] = tf.tidy(() => {
      const x = tf.tensor4d(randomArray(tf.util.sizeFromShape(c.x), 6), c.x);
      const w = tf.tensor4d(randomArray(tf.util.sizeFromShape(c.filter), 7), c.filter);
      const y = tf.depthwiseConv2d(x, w, 1, c.pad, 'NHWC', dil);
      const dy = tf.tensor4d(randomArray(y.size, 8), y.shape as Shape4);
      const attrs = { strides: [1, 1], pad: c.pad, dilations: dil };
      const dW = tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropFilter',
          { x, dy },
          { ...attrs, filterShape: c.filter },
        ) as tf.Tensor;
      const dx = tf
        .engine()
        .runKernel(
          'DepthwiseConv2dNativeBackpropInput',
          { dy, filter: w },
          { ...attrs, inputShape: c.x },
        ) as tf.Tensor;
      return [tf.sum(tf.mul(dy, y)), tf.sum(tf.mul(dW, w)), tf.sum(tf.mul(dx, x))];
    });
    const [a, b, d] = readAndDispose([
      lhs as tf.Tensor,
      viaFilter as tf.Tensor,
      viaInput as tf.Tensor,
    ]);
    const ref = a?.[0] ?? NaN;
    expect(Math.abs(ref)).toBeGreaterThan(1);
    expect(Math.abs((b?.[0] ?? NaN) - ref)).toBeLessThan(1e-4 * Math.abs(ref) + 1e-3);
    expect(Math.abs((d?.[0] ?? NaN) - ref)).toBeLessThan(1e-4 * Math.abs(ref) + 1e-3);
  });
});

describe('tf.grads through convolutions, WASM vs CPU', () => {
  it.each([
    { op: 'conv2d', x: [2, 8, 8, 3] as Shape4, filter: [3, 3, 3, 4] as Shape4, s: 2, pad: 'same' },
    { op: 'conv2d', x: [2, 9, 9, 2] as Shape4, filter: [3, 3, 2, 3] as Shape4, s: 1, pad: 'valid' },
    {
      op: 'depthwise',
      x: [2, 8, 8, 3] as Shape4,
      filter: [3, 3, 3, 2] as Shape4,
      s: 2,
      pad: 'same',
    },
    {
      op: 'depthwise',
      x: [2, 7, 7, 4] as Shape4,
      filter: [3, 3, 4, 1] as Shape4,
      s: 1,
      pad: 'valid',
    },
  ] as const)('$op stride $s $pad', async (c) => {
    const xv = randomArray(tf.util.sizeFromShape(c.x), 9);
    const wv = randomArray(tf.util.sizeFromShape(c.filter), 10);
    const run = (): Float32Array[] =>
      readAndDispose(
        tf.tidy(() => {
          const x = tf.tensor4d(xv, c.x);
          const w = tf.tensor4d(wv, c.filter);
          const loss = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => {
            const y =
              c.op === 'conv2d'
                ? tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad)
                : tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad);
            // A non-uniform upstream gradient: sum of y * sin(index).
            const weights = tf.sin(tf.range(0, y.size).reshape(y.shape));
            return tf.sum(tf.mul(tf.relu(y), weights));
          };
          return tf.grads(loss)([x, w]);
        }),
      );
    const cpu = await onBackend('cpu', run);
    const wasm = await onBackend('wasm', run);
    expectClose(wasm[0], cpu[0]);
    expectClose(wasm[1], cpu[1]);
  });
});
