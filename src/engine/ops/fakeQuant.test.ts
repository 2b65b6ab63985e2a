import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { fakeQuant } from '@/quant/affine';
import { resolveEncodings } from '@/quant/resolve';
import { mulberry32, randNormal } from '@/quant/random';
import type { QuantizerSpec } from '@/quant/types';
import { useNodeBackend } from '../backend/node';
import { fakeQuantTensor } from './fakeQuant';

/** Normal data with a few outliers and exact ties (x = (k + 0.5)·s) to exercise rounding. */
function data(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, (_, i) =>
    i % 97 === 0 ? 8 * randNormal(r) : randNormal(r),
  );
}

const SPECS: QuantizerSpec[] = [
  { bits: 8, scheme: 'asymmetric', granularity: 'per-tensor' },
  { bits: 4, scheme: 'symmetric', granularity: 'per-tensor' },
  { bits: 3, scheme: 'symmetric', granularity: 'per-channel' },
  { bits: 6, scheme: 'asymmetric', granularity: 'per-channel', narrowRange: true },
  { bits: 5, scheme: 'power-of-two', granularity: 'per-channel' },
];

describe('fakeQuantTensor (tf ops) agrees with quant/affine fakeQuant element for element', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const spec of SPECS) {
      it(`${backend}: ${spec.bits}-bit ${spec.scheme} ${spec.granularity}`, async () => {
        await useNodeBackend(backend);
        const shape = [6, 5, 7];
        const x = data(6 * 5 * 7, spec.bits * 31);
        const enc = resolveEncodings(spec, { data: x, shape });
        // Put some values exactly on rounding ties of channel 0's grid.
        for (let i = 0; i < x.length; i += 7 * 11)
          x[i] = Math.fround(((enc.scale[0] ?? 1) * 3.5) as number);
        const expected = fakeQuant(x, enc);
        const t = tf.tensor(x, shape);
        const y = fakeQuantTensor(t, enc);
        const got = await y.data();
        tf.dispose([t, y]);
        // `+ 0` maps −0 to +0: the TF path keeps the sign of round(−0.3) = −0, which is the same number.
        expect(Array.from(got, (v) => v + 0)).toEqual(Array.from(expected, (v) => v + 0));
      });
    }
  }
});

describe('fakeQuantTensor with a fused ReLU/ReLU6 (paper 2.3.2) equals the activation, then the quantizer', () => {
  const relu6 = (v: number) => Math.min(Math.max(v, 0), 6);
  for (const backend of ['cpu', 'wasm'] as const) {
    for (const fn of ['relu', 'relu6'] as const) {
      for (const spec of SPECS.slice(0, 4)) {
        it(`${backend}: ${fn}, ${spec.bits}-bit ${spec.scheme} ${spec.granularity}`, async () => {
          await useNodeBackend(backend);
          const shape = [6, 5, 7];
          // Wide data: many values below 0 and above 6; plus exact 0, 6, tiny negatives.
          const x = data(6 * 5 * 7, spec.bits * 17 + 1).map((v) => 4 * v);
          x.set([0, 6, -1e-7, 6.000001, 5.999999, -0], 0);
          const act = x.map((v) => (fn === 'relu' ? Math.max(v, 0) : relu6(v)));
          // Ranges as calibration gives them: from the activation's output, and (a grid
          // that covers more than [0, 6]) from the raw values.
          for (const source of [act, x]) {
            const enc = resolveEncodings(spec, { data: source, shape });
            const t = tf.tensor(x, shape);
            const a = tf.tensor(act, shape);
            const fused = fakeQuantTensor(t, enc, fn);
            const plain = fakeQuantTensor(a, enc);
            const [got, want] = await Promise.all([fused.data(), plain.data()]);
            tf.dispose([t, a, fused, plain]);
            expect(Array.from(got, (v) => v + 0)).toEqual(Array.from(want, (v) => v + 0));
          }
        });
      }
    }
  }
});
