/** What the standard PTQ preset (config/ptqPreset.ts) needs to know of a loaded model. */
import type * as tf from '@tensorflow/tfjs';
import type { ModelTraits } from '@/config/ptqPreset';

export const modelTraits = (model: tf.LayersModel): ModelTraits => ({
  hasDepthwise: model.layers.some((l) => /Depthwise|Separable/.test(l.getClassName())),
});
