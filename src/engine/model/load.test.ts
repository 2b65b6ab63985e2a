import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import type { ByteSource } from '../data/digits';
import { loadLayersModelFrom } from './load';

/** A tiny Dense model saved to in-memory files: model.json + one shard. */
async function savedFiles(): Promise<Map<string, Uint8Array>> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones', name: 'd' })],
  });
  let files = new Map<string, Uint8Array>();
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const json = {
        modelTopology: a.modelTopology,
        format: 'layers-model',
        weightsManifest: [{ paths: ['w.bin'], weights: a.weightSpecs }],
      };
      files = new Map([
        ['m/model.json', new TextEncoder().encode(JSON.stringify(json))],
        ['m/w.bin', new Uint8Array(a.weightData as ArrayBuffer)],
      ]);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  return files;
}

const sourceOf =
  (files: Map<string, Uint8Array>): ByteSource =>
  async (p) => {
    const f = files.get(p);
    if (!f) throw new Error(`missing ${p}`);
    return f.slice();
  };

describe('loadLayersModelFrom (the model file gate)', () => {
  let good: Map<string, Uint8Array>;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    good = await savedFiles();
  });

  it('loads a valid model with its weights (not random ones)', async () => {
    const model = await loadLayersModelFrom(sourceOf(good), 'm/model.json');
    const y = model.predict(tf.tensor2d([[1, 2, 3]])) as tf.Tensor;
    expect(Array.from(await y.data())).toEqual([6, 6]); // kernel of ones, zero bias
    model.dispose();
  });

  it('names a missing weight file', async () => {
    const files = new Map(good);
    files.delete('m/w.bin');
    await expect(loadLayersModelFrom(sourceOf(files), 'm/model.json')).rejects.toMatchObject({
      code: 'WEIGHTS_MISSING',
      message: expect.stringContaining('"w.bin"'),
    });
  });

  it('rejects a truncated weight file with both byte counts', async () => {
    const files = new Map(good);
    files.set('m/w.bin', (good.get('m/w.bin') as Uint8Array).slice(0, 12));
    await expect(loadLayersModelFrom(sourceOf(files), 'm/model.json')).rejects.toMatchObject({
      code: 'WEIGHTS_SIZE',
      message: expect.stringMatching(/12 bytes.*32/),
    });
  });

  it('names the weight and element holding NaN', async () => {
    const files = new Map(good);
    const w = new Float32Array((good.get('m/w.bin') as Uint8Array).slice().buffer);
    w[4] = Number.NaN;
    files.set('m/w.bin', new Uint8Array(w.buffer));
    await expect(loadLayersModelFrom(sourceOf(files), 'm/model.json')).rejects.toMatchObject({
      code: 'WEIGHTS_NONFINITE',
      message: expect.stringMatching(/"d\/kernel" holds NaN at element 4/),
    });
  });

  it('reports broken JSON and a JSON that is not a model', async () => {
    const files = new Map(good);
    files.set('m/model.json', new TextEncoder().encode('{"modelTopology": '));
    await expect(loadLayersModelFrom(sourceOf(files), 'm/model.json')).rejects.toMatchObject({
      code: 'MODEL_JSON_PARSE',
    });
    files.set('m/model.json', new TextEncoder().encode('{"hello": 1}'));
    await expect(loadLayersModelFrom(sourceOf(files), 'm/model.json')).rejects.toMatchObject({
      code: 'MODEL_JSON_SHAPE',
      message: expect.stringContaining('modelTopology'),
    });
  });
});
