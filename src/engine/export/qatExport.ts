/**
 * The files a user downloads after QAT: the trained float model (model.json + weights.bin, a
 * TF.js Layers model of the folded IR) and its learned encodings (AIMET layout). Loading the
 * model through the usual gate and quantizing it with these encodings fixed (EngineSession
 * `quantize(config, { fixedEncodings })`) reproduces the QAT run's test accuracy.
 */
import type { Encodings } from '@/quant/types';
import type { ByteSource } from '../data/digits';
import type { QatExportFiles } from '../events';
import type { QatSnapshot } from '../qat/qatModel';
import { aimetFileFromEncodings, type AimetFileMeta } from './aimetEncodings';
import { irToLayersArtifacts, WEIGHTS_FILE } from './irToLayers';

export type { QatExportFiles };

export const MODEL_FILE = 'model.json';
export const ENCODINGS_FILE = 'encodings.json';

/** Throws EXPORT_UNSUPPORTED (irToLayers.ts) for a model Keras cannot express, e.g. after CLE with ReLU6. */
export async function qatExportFiles(
  snapshot: QatSnapshot,
  meta: AimetFileMeta,
): Promise<QatExportFiles> {
  const { modelJson, weightsBin } = await irToLayersArtifacts(snapshot.ir);
  const weights = new Map<string, Encodings>(
    [...snapshot.weights].map(([node, w]) => [node, w.encodings]),
  );
  const encodings = aimetFileFromEncodings(weights, snapshot.activations, meta);
  return {
    modelJson: JSON.stringify(modelJson),
    weightsBin,
    encodingsJson: JSON.stringify(encodings, null, 1),
  };
}

/** The model files as a ByteSource, to load them back with `addModelFile(source, 'model.json')`. */
export function exportSource(files: Pick<QatExportFiles, 'modelJson' | 'weightsBin'>): ByteSource {
  const bytes = new Map<string, Uint8Array>([
    [MODEL_FILE, new TextEncoder().encode(files.modelJson)],
    [WEIGHTS_FILE, new Uint8Array(files.weightsBin)],
  ]);
  return (path) => {
    const b = bytes.get(path);
    return b
      ? Promise.resolve(b.slice())
      : Promise.reject(new Error(`No file "${path}" in the export.`));
  };
}
