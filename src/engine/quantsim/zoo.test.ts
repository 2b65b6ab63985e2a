/** The built-in models (public/models/<id>): executor == predict, folded == original. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { loadDigitsSplit, imagesTensor } from '../data/digits';
import { PUBLIC_DIR, publicDirSource } from '../data/nodeSource';
import { spiralTestSet } from '../data/spiralSet';
import { foldModel } from '../model/fold';
import { importModel } from '../model/graph';
import { loadLayersModelFrom } from '../model/load';
import { compare } from '../model/testModels';
import { prepare } from './execute';

const ZOO = ['mlp', 'cnn', 'dwsep', 'resnet', 'spiral'] as const;
const path = (id: string) => `models/${id}/model.json`;

/** 16 test inputs of the model's kind: digits [n,28,28,1] or spiral points [n,2]. */
async function testInputs(model: tf.LayersModel): Promise<tf.Tensor> {
  if (model.inputs[0]?.shape.length === 2) return spiralTestSet().batch(0, 16).x;
  return imagesTensor(await loadDigitsSplit(publicDirSource(), 'test'), 0, 16);
}

describe('built-in models', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // A model not trained yet (no public/models/<id>/model.json) is reported as skipped.
  for (const id of ZOO) {
    it.skipIf(!existsSync(join(PUBLIC_DIR, path(id))))(id, async () => {
      const model = await loadLayersModelFrom(publicDirSource(), path(id));
      const x = await testInputs(model);
      const expected = model.predict(x) as tf.Tensor;
      const ir = await importModel(model);
      for (const graph of [ir, foldModel(ir).ir]) {
        const exe = prepare(graph);
        const { output } = exe.run(x);
        const { maxAbs, maxRef } = await compare(output, expected);
        expect(maxAbs, graph === ir ? 'executor' : 'folded').toBeLessThanOrEqual(
          1e-4 * Math.max(1, maxRef),
        );
        output.dispose();
        exe.dispose();
      }
      tf.dispose([x, expected]);
      model.dispose();
    });
  }
});
