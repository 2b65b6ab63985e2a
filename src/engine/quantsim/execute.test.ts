import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { importModel } from '../model/graph';
import { foldModel } from '../model/fold';
import {
  TEST_MODELS,
  cnn,
  compare,
  functional,
  randomInput,
  randomizeWeights,
} from '../model/testModels';
import { prepare } from './execute';
import { activationQuantizers } from './placement';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('executor reproduces model.predict', () => {
  it.each(Object.entries(TEST_MODELS))(
    '%s: original IR to 1e-4 abs, folded IR to 1e-4 rel',
    async (_, build) => {
      const model = build();
      randomizeWeights(model, 11);
      const x = randomInput(model, 4, 5);
      const expected = model.predict(x) as tf.Tensor;
      const ir = await importModel(model);
      for (const [graph, tol] of [
        [ir, 1e-4],
        [foldModel(ir).ir, 1e-4],
      ] as const) {
        const exe = prepare(graph);
        const { output } = exe.run(x);
        const { maxAbs, maxRef } = await compare(output, expected);
        expect(maxAbs).toBeLessThanOrEqual(tol * (graph === ir ? 1 : Math.max(1, maxRef)));
        output.dispose();
        exe.dispose();
      }
      tf.dispose([x, expected]);
      model.dispose();
    },
  );

  it.each([
    ['cnn', cnn],
    ['functional', functional],
  ] as const)(
    '%s: every node named after a single-call layer outputs that layer’s value',
    async (_, build) => {
      const model = build();
      randomizeWeights(model, 2);
      const ir = await importModel(model);
      const layers = model.layers.filter(
        (l) => l.inboundNodes.length === 1 && l.getClassName() !== 'InputLayer',
      );
      const probe = tf.model({
        inputs: model.inputs,
        outputs: layers.map((l) => l.output as tf.SymbolicTensor),
      });
      const x = randomInput(model, 2, 9);
      const expected = probe.predict(x) as tf.Tensor[];
      const exe = prepare(ir);
      const { output, activations } = exe.run(x, { collect: 'all' });
      for (const [i, layer] of layers.entries()) {
        const got = activations?.get(layer.name);
        expect(got, layer.name).toBeDefined();
        const { maxAbs } = await compare(got as tf.Tensor, expected[i] as tf.Tensor);
        expect(maxAbs, layer.name).toBeLessThanOrEqual(1e-4);
      }
      tf.dispose([x, output, ...expected, ...(activations?.values() ?? [])]);
      exe.dispose();
      model.dispose();
    },
  );
});

describe('quantization hooks', () => {
  it('weightTransform runs once per weight at prepare; activationTransform on the placement', async () => {
    const model = cnn();
    randomizeWeights(model, 4);
    const ir = foldModel(await importModel(model)).ir;
    const seenWeights: string[] = [];
    const seenActs: string[] = [];
    const exe = prepare(ir, {
      weightTransform: (node, name, values) => {
        seenWeights.push(`${node.name}/${name}`);
        return node.name === 'out/preact' && name === 'kernel'
          ? new Float32Array(values.length)
          : values;
      },
      activationTransform: (name, t) => {
        seenActs.push(name);
        return tf.mul(t, 1);
      },
    });
    expect(seenWeights).toEqual([
      'c1/kernel',
      'c1/bias',
      'c2/kernel',
      'c2/bias',
      'out/preact/kernel',
      'out/preact/bias',
    ]);
    const x = randomInput(model, 3, 1);
    for (let run = 0; run < 2; run++) {
      const { output } = exe.run(x);
      // Zero kernel: the logits are the bias, the same for every image.
      const probs = await output.array();
      expect((probs as number[][])[0]).toEqual((probs as number[][])[2]);
      output.dispose();
    }
    expect(seenWeights).toHaveLength(6);
    expect(seenActs).toEqual([...activationQuantizers(ir), ...activationQuantizers(ir)]);
    tf.dispose(x);
    exe.dispose();
    model.dispose();
  });

  it('leaks no tensors across prepare / run / dispose', async () => {
    const model = functional();
    randomizeWeights(model, 6);
    const ir = foldModel(await importModel(model)).ir;
    const x = randomInput(model, 2, 3);
    const baseline = tf.memory().numTensors;
    const exe = prepare(ir, {
      weightTransform: (_n, _w, v) => v.map((e) => Math.round(e * 16) / 16),
      activationTransform: (_n, t) => tf.round(tf.mul(t, 8)).div(8),
    });
    for (let run = 0; run < 2; run++) {
      const { outputs, activations } = exe.run(x, { collect: 'all' });
      expect(activations?.size).toBe(ir.nodes.length);
      tf.dispose([...outputs, ...(activations?.values() ?? [])]);
    }
    const last = exe.run(x, { collect: ['x'] });
    tf.dispose([last.output, ...(last.activations?.values() ?? [])]);
    exe.dispose();
    expect(tf.memory().numTensors).toBe(baseline);
    expect(x.isDisposed).toBe(false);
    tf.dispose(x);
    model.dispose();
  });
});
