/**
 * Writes a LayersModel in the standard TF.js layout (model.json + one weights.bin shard). Node
 * with plain @tensorflow/tfjs has no file:// handler, so the artifacts are taken from
 * tf.io.withSaveHandler and written here.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const WEIGHTS_FILE = 'weights.bin';

export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
    }),
  );
  const saved = artifacts as tf.io.ModelArtifacts | null;
  if (!saved?.modelTopology || !saved.weightSpecs || !saved.weightData) {
    throw new Error(`Saving ${model.name} produced no topology or weights`);
  }
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(saved.weightData));
  const modelJson = {
    format: 'layers-model',
    generatedBy: saved.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: saved.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: saved.weightSpecs }],
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), `${JSON.stringify(modelJson)}\n`);
  await writeFile(join(dir, WEIGHTS_FILE), weights);
}
