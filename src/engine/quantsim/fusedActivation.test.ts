/**
 * The activation quantizer's fused ReLU/ReLU6 (paper 2.3.2) on the zoo's conv nets: every node
 * output of the W8A8 simulation equals the unfused op sequence's (activation, then quantizer),
 * and the fused run really leaves the activations out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG } from '@/config/defaults';
import { useNodeBackend } from '../backend/node';
import { digitsCalibrationSet } from '../data/calibration';
import { digitsSet } from '../data/dataset';
import { loadDigitsSplit } from '../data/digits';
import { publicDirSource } from '../data/nodeSource';
import { loadLayersModelFrom } from '../model/load';
import { createQuantSim, prepareWeights } from './quantSim';

const kernelCount = async (f: () => tf.Tensor, name: string) =>
  (await tf.profile(f)).kernels.filter((k) => k.name === name).length;

describe('fused activation quantizers', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  for (const [id, act] of [
    ['dwsep', 'Relu6'],
    ['cnn', 'Relu'],
  ] as const) {
    it(`${id}: every node output equals activation-then-quantizer; no ${act} op left`, async () => {
      const source = publicDirSource();
      const model = await loadLayersModelFrom(source, `models/${id}/model.json`);
      const [train, test] = await Promise.all([
        loadDigitsSplit(source, 'train'),
        loadDigitsSplit(source, 'test'),
      ]);
      const sim = await createQuantSim(
        await prepareWeights(model, { ...DEFAULT_CONFIG, model: id }),
        digitsCalibrationSet(train, 64, 0),
      );
      const fused = sim.build();
      const plain = sim.build(undefined, false);
      const { x } = digitsSet(test).batch(0, 32);
      const a = fused.run(x, { collect: 'all' });
      const b = plain.run(x, { collect: 'all' });
      const names = [...(a.activations?.keys() ?? [])];
      expect(names.length).toBeGreaterThan(5);
      for (const n of names) {
        const [u, v] = await Promise.all([
          a.activations?.get(n)?.data(),
          b.activations?.get(n)?.data(),
        ]);
        expect(
          Array.from(u ?? [], (e) => e + 0),
          n,
        ).toEqual(Array.from(v ?? [], (e) => e + 0));
      }
      const run = (exe: typeof fused) => () => {
        const r = exe.run(x);
        r.outputs.filter((t) => t !== r.output).forEach((t) => t.dispose());
        return r.output;
      };
      const left = await kernelCount(run(fused), act);
      const before = await kernelCount(run(plain), act);
      expect(before).toBeGreaterThan(0);
      expect(left).toBe(0);
      tf.dispose([x, a.output, ...a.outputs, ...(a.activations?.values() ?? [])]);
      tf.dispose([b.output, ...b.outputs, ...(b.activations?.values() ?? [])]);
      [fused, plain].forEach((e) => e.dispose());
      sim.dispose();
      model.dispose();
    });
  }
});
