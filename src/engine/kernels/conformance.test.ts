/**
 * Runs the integer-kernel conformance suite on the Node backends (cpu, wasm), checks that the
 * suite really exercises every width and mode (the oracle's own statistics), cross-checks the
 * exact kernels against TF.js's float32 conv/matmul inside the 2^24 bound (tfjs-notes.md §2.3),
 * and checks the ops' validation messages.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { summarizeAccStats } from '@/quant/intArith';
import { useNodeBackend } from '../backend/node';
import { qIntConv2D, qIntDense, qIntDepthwiseConv2D, qIntRequantize } from '../ops/intOps';
import { expectedLayer, runConformance } from './conformance';
import {
  ACC_WIDTHS,
  LAYER_CASES,
  layerData,
  layerSeed,
  OVERFLOWS,
  REQUANT_CASES,
} from './conformanceCases';
import { registerIntKernels } from './register';

const CASES = LAYER_CASES.length * ACC_WIDTHS.length * OVERFLOWS.length + REQUANT_CASES.length;

describe.each(['cpu', 'wasm'] as const)('integer kernels on %s', (backend) => {
  it('pass every conformance case bit for bit, without leaking tensors', async () => {
    await useNodeBackend(backend);
    registerIntKernels();
    registerIntKernels(); // idempotent
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    const results = await runConformance();
    const ms = performance.now() - t0;
    expect(results).toHaveLength(CASES);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    console.info(`conformance on ${backend}: ${results.length} cases in ${ms.toFixed(0)} ms`);
  });

  it('agree with float32 tf.conv2d / depthwiseConv2d / matMul inside the 2^24 bound', async () => {
    await useNodeBackend(backend);
    registerIntKernels();
    // uint8/int8 cases with small biases: K·max|p| + |bias| ≤ 45·255·131 + 4096 < 2^24.
    for (const [i, c] of LAYER_CASES.entries()) {
      if (c.name.includes('wide') || c.name.includes('edge32')) continue;
      const d = layerData(c, layerSeed(i));
      const k = c.wShape[0] * c.wShape[1] * (c.kind === 'depthwise' ? 1 : c.wShape[2]);
      const maxX = Math.max(...d.x.map((v) => Math.abs(v - d.xZeroPoint)));
      const maxW = Math.max(
        ...d.w.map((v, j) => Math.abs(v - (d.wZeroPoint[j % d.wZeroPoint.length] ?? 0))),
      );
      expect(k * maxX * maxW + 4096).toBeLessThan(2 ** 24);
      const [exact, float] = tf.tidy(() => {
        // Zero points subtracted in float32 (exact: small integers), per output channel.
        const zw = c.kind === 'depthwise' ? [c.wShape[2], c.wShape[3]] : [c.wShape[3]];
        const x = tf.sub(tf.tensor4d(d.x, c.xShape, 'float32'), d.xZeroPoint) as tf.Tensor4D;
        const w = tf.sub(
          tf.tensor4d(d.w, c.wShape, 'float32'),
          tf.tensor(d.wZeroPoint, zw, 'float32'),
        ) as tf.Tensor4D;
        const bias = tf.tensor1d(d.bias, 'float32');
        const conv = { strides: c.strides ?? 1, padding: c.padding ?? 'valid' } as const;
        const xi = tf.tensor4d(d.x, c.xShape, 'int32');
        const wi = tf.tensor4d(d.w, c.wShape, 'int32');
        const opts = {
          xZeroPoint: d.xZeroPoint,
          bias: tf.tensor1d(d.bias, 'int32'),
          wZeroPoint: tf.tensor1d(d.wZeroPoint, 'int32'),
          ...conv,
          dilations: c.dilations ?? 1,
        };
        const [n, h, ww, cin] = c.xShape;
        if (c.kind === 'dense')
          return [
            qIntDense(xi.reshape([n * h * ww, cin]), wi.reshape([cin, c.wShape[3]]), opts).acc,
            tf.add(tf.matMul(x.reshape([n * h * ww, cin]), w.reshape([cin, c.wShape[3]])), bias),
          ];
        if (c.kind === 'depthwise')
          return [
            qIntDepthwiseConv2D(xi, wi, opts).acc,
            tf.add(
              tf.depthwiseConv2d(x, w, conv.strides, conv.padding, 'NHWC', c.dilations ?? 1),
              bias,
            ),
          ];
        return [
          qIntConv2D(xi, wi, { ...opts, order: c.order ?? 'hwc' }).acc,
          tf.add(tf.conv2d(x, w, conv.strides, conv.padding, 'NHWC', c.dilations ?? 1), bias),
        ];
      });
      expect(exact.shape, c.name).toEqual(float.shape);
      expect(Array.from(await exact.data()), c.name).toEqual(Array.from(await float.data()));
      tf.dispose([exact, float]);
    }
  });
});

describe('the conformance suite itself', () => {
  it('overflows every narrow width in both modes, and 32 bits too', () => {
    for (const bits of ACC_WIDTHS)
      for (const overflow of OVERFLOWS) {
        const events = LAYER_CASES.map((c, i) => {
          const want = expectedLayer(c, layerData(c, layerSeed(i)), bits, overflow);
          return summarizeAccStats(want.stats, 1).events;
        });
        expect(
          events.some((e) => e > 0),
          `acc${bits} ${overflow}`,
        ).toBe(true);
        if (bits >= 24)
          expect(
            events.some((e) => e === 0),
            `acc${bits} ${overflow}`,
          ).toBe(true);
      }
  });

  it('makes the summation order visible under saturate', () => {
    const i = LAYER_CASES.findIndex((c) => c.order === 'chw');
    const c = LAYER_CASES[i];
    if (!c) throw new Error('no chw case');
    const d = layerData(c, layerSeed(i));
    const chw = expectedLayer(c, d, 12, 'saturate').acc;
    const hwc = expectedLayer({ ...c, order: 'hwc' }, d, 12, 'saturate').acc;
    expect(Array.from(chw)).not.toEqual(Array.from(hwc));
    // ...but not under wrap, which is order-free (mod 2^n).
    const wrap = (o: 'hwc' | 'chw') =>
      Array.from(expectedLayer({ ...c, order: o }, d, 12, 'wrap').acc);
    expect(wrap('chw')).toEqual(wrap('hwc'));
  });
});

describe('op validation', () => {
  it('names the offending value', async () => {
    await useNodeBackend('cpu');
    registerIntKernels();
    const x = tf.zeros([2, 3], 'int32') as tf.Tensor2D;
    const w = tf.zeros([3, 4], 'int32') as tf.Tensor2D;
    expect(() => qIntDense(x, w, { accBits: 40 })).toThrow(/qIntDense accBits = 40/);
    expect(() => qIntDense(x, w, { accBits: 7 })).toThrow(/from 8 to 32/);
    expect(() => qIntDense(x, w, { overflow: 'clip' as 'wrap' })).toThrow(/overflow = clip/);
    expect(() => qIntDense(tf.zeros([2, 3]) as tf.Tensor2D, w)).toThrow(
      /int32 tensor \(got float32\)/,
    );
    expect(() => qIntDense(x, tf.zeros([4, 4], 'int32') as tf.Tensor2D)).toThrow(
      /3 input channels/,
    );
    const bias = tf.zeros([5], 'int32') as tf.Tensor1D;
    expect(() => qIntDense(x, w, { bias })).toThrow(/qIntDense bias has 5 values; expected 4/);
    const big = tf.fill([2, 3], 70000, 'int32') as tf.Tensor2D;
    expect(() => qIntDense(big, w)).toThrow(/x\[0\] − zero point = 70000/);
    expect(() =>
      qIntRequantize(tf.zeros([2, 4], 'int32'), [1, 2], {
        mode: 'float',
        zeroPoint: 0,
        qmin: -128,
        qmax: 127,
      }),
    ).toThrow(/multipliers has 2 values; expected 4/);
    expect(() =>
      qIntRequantize(tf.zeros([2, 4], 'int32'), [-1], {
        mode: 'float',
        zeroPoint: 0,
        qmin: -128,
        qmax: 127,
      }),
    ).toThrow(/multipliers\[0\] = -1/);
    tf.dispose([x, w, bias, big]);
  });
});
