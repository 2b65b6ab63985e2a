/**
 * Measures a saved zoo model the way the app will: load it from public/ through the app's
 * model gate, evaluate it with the app's evaluateAccuracy on the fixed test set, and walk its
 * layers. Training and verification both call this, so their figures come from the same code.
 */
import type * as tf from '@tensorflow/tfjs';
import { publicDirSource } from '../../src/engine/data/nodeSource';
import { evaluateAccuracy } from '../../src/engine/eval/evaluate';
import { loadLayersModelFrom } from '../../src/engine/model/load';
import type { DepthwiseRange, ZooLayer, ZooModel } from '../../src/engine/model/zooIndex';
import { testSetFor } from './data';
import { depthwiseRangeRatios, layerTable } from './stats';

export interface Measured {
  layers: ZooLayer[];
  params: number;
  macsPerImage: number;
  testCorrect: number;
  testCount: number;
  fp32TestAccuracy: number;
  depthwiseRangeRatio: DepthwiseRange[];
}

export function modelPath(id: string): string {
  return `models/${id}/model.json`;
}

export async function measureSaved(id: string, dataset: ZooModel['dataset']): Promise<Measured> {
  const model: tf.LayersModel = await loadLayersModelFrom(publicDirSource(), modelPath(id));
  try {
    const result = await evaluateAccuracy(model, await testSetFor(dataset));
    const layers = layerTable(model);
    return {
      layers,
      params: model.countParams(),
      macsPerImage: layers.reduce((n, l) => n + l.macs, 0),
      testCorrect: result.correct,
      testCount: result.count,
      fp32TestAccuracy: result.correct / result.count,
      depthwiseRangeRatio: depthwiseRangeRatios(model),
    };
  } finally {
    model.dispose();
  }
}
