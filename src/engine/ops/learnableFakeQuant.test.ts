/**
 * The QAT quantizer op against its pure reference (quant/lsq.ts) on CPU and WASM: the forward,
 * the STE input gradient and the LSQ scale/zero-point gradients (hand-worked values, then random
 * tensors per tensor and per channel), and equality with the fixed fake-quant op of PTQ.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { encodingFromRange, makeEncoding, packEncodings } from '@/quant/encodings';
import { resolveGrid } from '@/quant/grid';
import { lsqFakeQuant, lsqGrads } from '@/quant/lsq';
import { mulberry32, randNormal } from '@/quant/random';
import { useNodeBackend } from '../backend/node';
import { fakeQuantTensor } from './fakeQuant';
import { LSQ_FAKE_QUANT } from '../kernels/names';
import { learnableFakeQuant, learnableFakeQuantComposed } from './learnableFakeQuant';

const INT4 = { qmin: -8, qmax: 7 };

describe.each(['cpu', 'wasm'] as const)('learnableFakeQuant on %s', (backend) => {
  it('hand-worked: dx = [0,2,3,4,5,0,0,0], ∂L/∂s = 19.4 (∂L/∂log s = 1.94), ∂L/∂z = −(1+6+7+8)·s', async () => {
    await useNodeBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.tensor1d([-1.3, -0.2, 0.04, 0.26, 0.5, 0.9, 2.5, -3.0]);
    const w = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
    const ls = tf.scalar(Math.log(0.1));
    const z = tf.scalar(0);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(learnableFakeQuant(a, b, c, INT4), w));
    const { value, grads } = tf.valueAndGrads(f)([x, ls, z]);
    const [dx, dls, dz] = await Promise.all(grads.map((g) => g.data()));
    expect(Array.from(dx ?? [])).toEqual([0, 2, 3, 4, 5, 0, 0, 0]);
    expect(dls?.[0]).toBeCloseTo(1.94, 4);
    expect(dz?.[0]).toBeCloseTo(-2.2, 5); // outside: x = -1.3, 0.9, 2.5, -3.0 with w = 1, 6, 7, 8
    // Forward: Σ w·x̂ with x̂ = [-0.8, -0.2, 0, 0.3, 0.5, 0.7, 0.7, -0.8].
    expect((await value.data())[0]).toBeCloseTo(-0.8 - 0.4 + 0 + 1.2 + 2.5 + 4.2 + 4.9 - 6.4, 4);
    tf.dispose([x, w, ls, z, value, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('per-channel, asymmetric, random: forward and gradients equal the reference', async () => {
    await useNodeBackend(backend);
    const rng = mulberry32(7);
    const [rows, channels] = [50, 6];
    const xs = Float32Array.from({ length: rows * channels }, () => 2 * randNormal(rng));
    const gy = Float32Array.from({ length: rows * channels }, () => randNormal(rng));
    const scales = Float32Array.from({ length: channels }, (_, c) => 0.05 + 0.04 * c);
    const zeros = Float32Array.from({ length: channels }, (_, c) => 3.3 + c);
    const grid = { qmin: 0, qmax: 15 };
    const x = tf.tensor2d(xs, [rows, channels]);
    const dyT = tf.tensor2d(gy, [rows, channels]);
    const ls = tf.tensor1d(Float32Array.from(scales, Math.log));
    const z = tf.tensor1d(zeros);
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(learnableFakeQuant(a, b, c, grid), dyT));
    const y = learnableFakeQuant(x, ls, z, grid);
    const s32 = await tf.exp(ls).data(); // the float32 scales the op used
    const grads = tf.grads(f)([x, ls, z]);
    const [yv, dx, dls, dz] = await Promise.all([y, ...grads].map((t) => t.data()));
    let mismatched = 0;
    const refLs = new Float64Array(channels);
    const refZ = new Float64Array(channels);
    for (let i = 0; i < xs.length; i++) {
      const c = i % channels;
      const s = s32[c] ?? 1;
      const ref = lsqFakeQuant(xs[i] ?? 0, s, zeros[c] ?? 0, grid);
      const g = lsqGrads(xs[i] ?? 0, s, zeros[c] ?? 0, grid);
      // float32 x·(1/s) vs float64 x/s may round differently at a tie: allow a rare one-step gap.
      if (Math.abs((yv?.[i] ?? 0) - ref) > 1e-6) {
        mismatched++;
        expect(Math.abs((yv?.[i] ?? 0) - ref)).toBeLessThanOrEqual(s * 1.0001);
        continue;
      }
      expect((dx?.[i] ?? NaN) + 0).toBe((gy[i] ?? 0) * g.dx + 0); // +0: -0 and 0 alike
      refLs[c] = (refLs[c] ?? 0) + (gy[i] ?? 0) * g.ds * s;
      refZ[c] = (refZ[c] ?? 0) + (gy[i] ?? 0) * g.dz;
    }
    expect(mismatched).toBe(0);
    for (let c = 0; c < channels; c++) {
      expect(dls?.[c]).toBeCloseTo(refLs[c] ?? NaN, 3);
      expect(dz?.[c]).toBeCloseTo(refZ[c] ?? NaN, 3);
    }
    // Some elements were clamped on both sides, so every branch was exercised.
    expect(Array.from(dx ?? []).filter((v) => v === 0).length).toBeGreaterThan(10);
    tf.dispose([x, dyT, ls, z, y, ...grads]);
  });

  it('with fixed parameters it is the PTQ fake-quant op, element for element', async () => {
    await useNodeBackend(backend);
    const rng = mulberry32(11);
    const xs = Float32Array.from({ length: 4000 }, () => 3 * randNormal(rng));
    const grid = resolveGrid({ bits: 8, scheme: 'asymmetric', signed: false });
    const enc = encodingFromRange({ min: -4.1, max: 6.3 }, grid);
    const x = tf.tensor1d(xs);
    const ls = tf.scalar(Math.log(enc.scale));
    // The float32 scale the op really uses, as an encoding for the PTQ op.
    const s = (await tf.exp(ls).data())[0] ?? NaN;
    const fixed = packEncodings(grid, [makeEncoding(grid, s, enc.zeroPoint)]);
    const a = learnableFakeQuant(x, ls, tf.scalar(enc.zeroPoint), grid);
    const b = fakeQuantTensor(x, fixed);
    const [av, bv] = await Promise.all([a.data(), b.data()]);
    const plus0 = (v: number) => v + 0; // -0 (a rounded negative tie) equals 0
    expect(Array.from(av, plus0)).toEqual(Array.from(bv, plus0));
    expect(new Set(av).size).toBeGreaterThan(200); // most of the 256 codes are used
    tf.dispose([x, ls, a, b]);
  });

  it('the fused host kernels equal the tf-op composition (forward bit for bit, gradients)', async () => {
    await useNodeBackend(backend);
    // learnableFakeQuant takes the fused kernels on CPU, the composition on WASM (faster there).
    expect(!!tf.getKernel(LSQ_FAKE_QUANT, backend)).toBe(backend === 'cpu');
    if (backend !== 'cpu') return;
    const rng = mulberry32(3);
    for (const channels of [1, 8]) {
      const n = 4000;
      const x = tf.tensor2d(
        Float32Array.from({ length: n }, () => 2.5 * randNormal(rng)),
        [n / 8, 8],
      );
      const w = tf.tensor2d(
        Float32Array.from({ length: n }, () => randNormal(rng)),
        [n / 8, 8],
      );
      const shape = channels === 1 ? [] : [channels];
      const ls = tf.tensor(
        Float32Array.from({ length: channels }, (_, c) => -2 + 0.1 * c),
        shape,
      );
      const z = tf.tensor(
        Float32Array.from({ length: channels }, (_, c) => 6.4 - c),
        shape,
      );
      const s0 = tf.tensor(
        Float32Array.from({ length: channels }, () => 0.9),
        shape,
      );
      const grid = { qmin: 0, qmax: 15 };
      const loss = (f: typeof learnableFakeQuant) => (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(f(a, b, c, grid, s0), w));
      const fused = tf.grads(loss(learnableFakeQuant))([x, ls, z]);
      const composed = tf.grads(loss(learnableFakeQuantComposed))([x, ls, z]);
      const [ya, yb] = [
        learnableFakeQuant(x, ls, z, grid, s0),
        learnableFakeQuantComposed(x, ls, z, grid, s0),
      ];
      const plus0 = (v: number) => v + 0;
      expect(Array.from(await ya.data(), plus0)).toEqual(Array.from(await yb.data(), plus0));
      const [fa, fb] = [
        await Promise.all(fused.map((g) => g.data())),
        await Promise.all(composed.map((g) => g.data())),
      ];
      expect(Array.from(fa[0] ?? [], plus0)).toEqual(Array.from(fb[0] ?? [], plus0)); // dx
      for (const k of [1, 2])
        Array.from(fa[k] ?? []).forEach((v, c) => {
          const ref = fb[k]?.[c] ?? NaN;
          expect(Math.abs(v - ref)).toBeLessThan(1e-3 * Math.max(1, Math.abs(ref)));
        });
      tf.dispose([x, w, ls, z, s0, ya, yb, ...fused, ...composed]);
    }
  });
});
