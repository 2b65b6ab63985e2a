/**
 * Imports a tf.LayersModel (sequential or functional) into the IR of ir.ts.
 *
 * The walk starts at the model's outputs and follows each symbolic tensor to the layer call
 * (layer, inbound node) that produced it, so only this model's calls are visited: a layer
 * reused in another model, or shared twice in this one, contributes exactly its own calls
 * (`layer.inboundNodes[0]` alone would be wrong for both). Post-order gives topological order.
 */
import type * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import type { IrNode, ModelIR } from './ir';
import { importLayer } from './importLayer';
import { readWeights, type LayerWeights } from './layerWeights';

type Layer = tf.layers.Layer;

interface Call {
  readonly layer: Layer;
  readonly nodeIndex: number;
  readonly inputs: readonly Call[];
}

const keyOf = (layer: Layer, nodeIndex: number) => `${layer.name}\u0000${nodeIndex}`;

/** The model's layer calls reachable from its outputs, inputs before consumers. */
function collectCalls(model: tf.LayersModel): { order: Call[]; outputs: Call[]; inputs: Call[] } {
  const seen = new Map<string, Call>();
  const order: Call[] = [];
  const visit = (layer: Layer, nodeIndex: number, tensorIndex: number): Call => {
    if (tensorIndex !== 0) {
      throw playgroundError('UNSUPPORTED_LAYER', {
        layer: layer.name,
        type: `${layer.getClassName()}(multiple outputs)`,
      });
    }
    const key = keyOf(layer, nodeIndex);
    const known = seen.get(key);
    if (known) return known;
    const node = layer.inboundNodes[nodeIndex];
    if (!node) throw new Error(`Layer ${layer.name} has no inbound node ${nodeIndex}`);
    const inputs = node.inboundLayers.map((l, i) =>
      visit(l, node.nodeIndices[i] ?? 0, node.tensorIndices[i] ?? 0),
    );
    const call: Call = { layer, nodeIndex, inputs };
    seen.set(key, call);
    order.push(call);
    return call;
  };
  const outputs = model.outputs.map((t) => visit(t.sourceLayer, t.nodeIndex, t.tensorIndex));
  const inputs = model.inputs.map((t) => visit(t.sourceLayer, t.nodeIndex, t.tensorIndex));
  return { order, outputs, inputs };
}

/** Call names: the layer name, or `name#k` (k = 0, 1, ...) when the model calls it k+1 times. */
function nameCalls(order: readonly Call[]): Map<Call, string> {
  const byLayer = new Map<Layer, Call[]>();
  for (const c of order) byLayer.set(c.layer, [...(byLayer.get(c.layer) ?? []), c]);
  const names = new Map<Call, string>();
  for (const [layer, calls] of byLayer) {
    calls
      .sort((a, b) => a.nodeIndex - b.nodeIndex)
      .forEach((c, k) => names.set(c, calls.length === 1 ? layer.name : `${layer.name}#${k}`));
  }
  return names;
}

/**
 * The IR of `model`: supported Keras classes only (see importLayer.ts); any other layer
 * throws UNSUPPORTED_LAYER naming the layer and its class. Weights are copied with `data()`.
 */
export async function importModel(model: tf.LayersModel): Promise<ModelIR> {
  const { order, outputs, inputs } = collectCalls(model);
  const names = nameCalls(order);
  const outputOf = new Map<Call, string>();
  const nodes: IrNode[] = [];
  const weights = new Map<Layer, LayerWeights>();
  for (const call of order) {
    const own = weights.get(call.layer) ?? (await readWeights(call.layer));
    weights.set(call.layer, own);
    const node = call.layer.inboundNodes[call.nodeIndex];
    const shape = node?.outputTensors[0]?.shape ?? [];
    const imported = importLayer({
      layer: call.layer,
      name: names.get(call) ?? call.layer.name,
      inputs: call.inputs.map((c) => outputOf.get(c) ?? ''),
      outputShape: [...shape],
      weights: own,
    });
    nodes.push(...imported.nodes);
    outputOf.set(call, imported.output);
  }
  return {
    nodes,
    inputs: inputs.map((c) => outputOf.get(c) ?? ''),
    outputs: outputs.map((c) => outputOf.get(c) ?? ''),
  };
}
