/**
 * A folded IR (e.g. a QAT snapshot with trained float weights) back to a TF.js Layers model:
 * one Keras layer per IR node, named as the node, built with the functional API and saved in
 * the standard model.json + weights.bin format. Re-importing and folding the saved model gives
 * the same node names and weights (each fused activation becomes the layer's own activation,
 * which foldModel reads back as fused), so encodings keyed by node name still apply.
 */
import * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import type { IrNode, ModelIR, Weight, WeightName } from '../model/ir';

export interface LayersArtifacts {
  /** model.json: format 'layers-model', modelTopology, weightsManifest → weights.bin. */
  modelJson: Record<string, unknown>;
  weightsBin: ArrayBuffer;
}

export const WEIGHTS_FILE = 'weights.bin';

const L = tf.layers;

/** TF.js's own rule for tensor (and so layer) names, tfjs-layers common.ts isValidTensorName. */
const TENSOR_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/** The IR weights each op's Keras layer holds (inverse of model/layerWeights.ts). */
const LAYER_WEIGHTS: Partial<Record<IrNode['type'], readonly WeightName[]>> = {
  dense: ['kernel', 'bias'],
  conv2d: ['kernel', 'bias'],
  depthwiseConv2d: ['kernel', 'bias'],
  batchNorm: ['gamma', 'beta', 'movingMean', 'movingVariance'],
};

/** TF.js weight suffixes → IR names (model/layerWeights.ts). */
const IR_WEIGHT: Readonly<Record<string, WeightName>> = {
  kernel: 'kernel',
  depthwise_kernel: 'kernel',
  bias: 'bias',
  gamma: 'gamma',
  beta: 'beta',
  moving_mean: 'movingMean',
  moving_variance: 'movingVariance',
};

const unsupported = (node: string, detail: string) =>
  playgroundError('EXPORT_UNSUPPORTED', { node, detail });

/** Refuses, before any layer exists, what no Keras layer can express. */
function check(ir: ModelIR): void {
  const seen = new Set<string>();
  for (const node of ir.nodes) {
    if (node.name.includes('#'))
      throw unsupported(
        node.name,
        'it is one call of a shared layer, and after training its calls no longer share weights',
      );
    if (!TENSOR_NAME.test(node.name))
      throw unsupported(node.name, 'its name is not a valid TF.js layer name');
    if (node.weights.clip)
      throw unsupported(
        node.name,
        'it carries a per-channel ReLU6 bound (clip) from cross-layer equalization, and a Keras ReLU6 has one bound for all channels',
      );
    const allowed = LAYER_WEIGHTS[node.type] ?? [];
    for (const name of Object.keys(node.weights) as WeightName[])
      if (node.weights[name] && !allowed.includes(name))
        throw unsupported(node.name, `a ${node.type} layer has no weight "${name}"`);
    const rank = { dense: 2, conv2d: 4, depthwiseConv2d: 4 } as Partial<Record<string, number>>;
    const want = rank[node.type];
    if (want !== undefined && node.weights.kernel?.shape.length !== want)
      throw unsupported(node.name, `its kernel is not of rank ${want}`);
    if (node.type === 'batchNorm' && (!node.weights.movingMean || !node.weights.movingVariance))
      throw unsupported(node.name, 'the batch norm has no moving mean or variance');
    if ((node.type === 'add' || node.type === 'concatenate') && node.inputs.length < 2)
      throw unsupported(node.name, `${node.type} needs at least two inputs`);
    for (const i of node.inputs)
      if (!seen.has(i)) throw unsupported(node.name, `its input "${i}" does not come before it`);
    seen.add(node.name);
  }
  for (const name of [...ir.inputs, ...ir.outputs])
    if (!seen.has(name)) throw unsupported(name, 'it is a model input or output with no node');
}

const pair = (p: readonly [number, number]): [number, number] => [p[0], p[1]];
const dims = (w: Weight | undefined, i: number) => w?.shape[i] ?? 0;

/** The Keras layer of a non-input node (config only; weights are set once it is built). */
function layerOf(node: Exclude<IrNode, { type: 'input' }>): tf.layers.Layer {
  const name = node.name;
  const k = node.weights.kernel;
  const useBias = node.weights.bias !== undefined;
  switch (node.type) {
    case 'dense':
      return L.dense({ name, units: dims(k, 1), activation: node.config.activation, useBias });
    case 'conv2d':
    case 'depthwiseConv2d': {
      const c = node.config;
      const common = {
        name,
        kernelSize: [dims(k, 0), dims(k, 1)] as [number, number],
        strides: pair(c.strides),
        padding: c.padding,
        dilationRate: pair(c.dilation),
        activation: c.activation,
        useBias,
      };
      return node.type === 'conv2d'
        ? L.conv2d({ ...common, filters: dims(k, 3) })
        : // The kernel decides, as in the executor: an imported SeparableConv2D's config says 1
          // whatever its multiplier (TF.js leaves depthMultiplier out of its getConfig).
          L.depthwiseConv2d({ ...common, depthMultiplier: dims(k, 3) });
    }
    case 'batchNorm':
      return L.batchNormalization({
        name,
        axis: -1,
        epsilon: node.config.epsilon,
        center: node.weights.beta !== undefined,
        scale: node.weights.gamma !== undefined,
      });
    case 'activation':
      return L.activation({ name, activation: node.config.fn });
    case 'maxPool2d':
    case 'avgPool2d': {
      const c = node.config;
      const args = {
        name,
        poolSize: pair(c.poolSize),
        strides: pair(c.strides),
        padding: c.padding,
      };
      return node.type === 'maxPool2d' ? L.maxPooling2d(args) : L.averagePooling2d(args);
    }
    case 'globalAvgPool2d':
      return L.globalAveragePooling2d({ name });
    case 'flatten':
      return L.flatten({ name });
    case 'reshape':
      return L.reshape({ name, targetShape: [...node.config.targetShape] });
    case 'zeroPadding2d':
      return L.zeroPadding2d({
        name,
        padding: [pair(node.config.padding[0]), pair(node.config.padding[1])],
      });
    case 'add':
      return L.add({ name });
    case 'concatenate':
      return L.concatenate({ name, axis: node.config.axis });
    case 'dropout':
      return L.dropout({ name, rate: node.config.rate });
  }
}

/** The IR's values for each of the built layer's weights, in the layer's order. */
function setWeights(layer: tf.layers.Layer, node: IrNode): void {
  const values = layer.weights.map((w) => {
    const suffix = w.originalName.slice(w.originalName.lastIndexOf('/') + 1);
    const irName = IR_WEIGHT[suffix];
    const ir = irName ? node.weights[irName] : undefined;
    if (!ir || ir.shape.join() !== w.shape.join())
      throw unsupported(
        node.name,
        `its "${suffix}" weight does not fit the layer [${w.shape.join(', ')}]`,
      );
    return tf.tensor(ir.values, [...ir.shape], 'float32');
  });
  try {
    layer.setWeights(values);
  } finally {
    tf.dispose(values);
  }
}

/** Builds the model, its weights from the IR; disposes every layer it made if that fails. */
function buildModel(ir: ModelIR): tf.LayersModel {
  const tensors = new Map<string, tf.SymbolicTensor>();
  const layers: [tf.layers.Layer, IrNode][] = [];
  const at = (name: string) => tensors.get(name) as tf.SymbolicTensor; // check() saw them all
  try {
    for (const node of ir.nodes) {
      if (node.type === 'input') {
        tensors.set(node.name, tf.input({ shape: node.outputShape.slice(1), name: node.name }));
        continue;
      }
      const layer = layerOf(node);
      layers.push([layer, node]);
      const xs = node.inputs.map(at);
      const y = layer.apply(xs.length === 1 ? (xs[0] as tf.SymbolicTensor) : xs);
      tensors.set(node.name, y as tf.SymbolicTensor);
    }
    for (const [layer, node] of layers) setWeights(layer, node);
    return tf.model({ inputs: ir.inputs.map(at), outputs: ir.outputs.map(at), name: 'exported' });
  } catch (e) {
    for (const [layer] of layers) for (const w of layer.weights) w.dispose();
    throw e;
  }
}

/**
 * model.json and weights.bin of a TF.js Layers model equal to the IR (float, no quantizers).
 * Throws EXPORT_UNSUPPORTED naming the node for what Keras cannot express (a `clip` bound, a
 * shared layer's calls). The temporary model is disposed.
 * @example const { modelJson, weightsBin } = await irToLayersArtifacts(snapshot.ir);
 */
export async function irToLayersArtifacts(ir: ModelIR): Promise<LayersArtifacts> {
  check(ir);
  const model = buildModel(ir);
  try {
    let saved: tf.io.ModelArtifacts | null = null;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        saved = artifacts;
        return Promise.resolve({
          modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts),
        });
      }),
    );
    const a = saved as tf.io.ModelArtifacts | null;
    if (!a?.modelTopology || !a.weightSpecs) throw new Error('model.save gave no artifacts');
    const data = a.weightData;
    return {
      modelJson: {
        format: 'layers-model',
        generatedBy: a.generatedBy ?? null,
        convertedBy: a.convertedBy ?? null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs }],
      },
      weightsBin: data === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(data),
    };
  } finally {
    model.dispose();
  }
}
