/**
 * Figures the index records about a model: the layer table (output shape, parameters, MACs per
 * example) and, for depthwise layers followed by BatchNormalization, how far apart the
 * per-channel weight ranges are after BN folding (white paper Sec. 2.3.1 and 2.4.2).
 */
import type * as tf from '@tensorflow/tfjs';
import type { DepthwiseRange, ZooLayer } from '../../src/engine/model/zooIndex';

type Layer = tf.layers.Layer;

function weightShape(layer: Layer, suffix: string): number[] | undefined {
  // Weight shapes are always fully known (no null batch dimension).
  return layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`))?.shape as
    number[] | undefined;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Output shape without the batch dimension (single-output layers only). */
export function outputShapeOf(layer: Layer): number[] {
  const shape = layer.outputShape;
  const single = Array.isArray(shape[0])
    ? (shape[0] as (number | null)[])
    : (shape as (number | null)[]);
  return single.slice(1).map((d) => {
    if (d === null) throw new Error(`Layer ${layer.name} has an unknown output dimension`);
    return d;
  });
}

/** Multiply-accumulates per example of the layers that do any. */
export function layerMacs(layer: Layer): number {
  const out = product(outputShapeOf(layer));
  const cls = layer.getClassName();
  if (cls === 'Dense' || cls === 'Conv2D') {
    const kernel = weightShape(layer, 'kernel') ?? [];
    // out * (fan-in per output): kernel is [in, units] or [kh, kw, cin, cout].
    return out * product(kernel.slice(0, -1));
  }
  if (cls === 'DepthwiseConv2D') {
    const [kh = 0, kw = 0] = weightShape(layer, 'depthwise_kernel') ?? [];
    return out * kh * kw;
  }
  if (cls === 'SeparableConv2D') {
    const [kh = 0, kw = 0, cin = 0, mult = 0] = weightShape(layer, 'depthwise_kernel') ?? [];
    const [outH = 0, outW = 0, cout = 0] = outputShapeOf(layer);
    return outH * outW * cin * mult * (kh * kw + cout);
  }
  return 0;
}

export function layerTable(model: tf.LayersModel): ZooLayer[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: outputShapeOf(layer),
    params: layer.countParams(),
    macs: layerMacs(layer),
  }));
}

/**
 * Per-output-channel max|w_fold| of a depthwise kernel [kh, kw, c, m] folded with its BN:
 * w_fold[.., j] = w[.., j] * gamma[j] / sqrt(var[j] + eps), channel j = c*m_count + m.
 */
export function foldedChannelRanges(
  kernel: Float32Array,
  channels: number,
  gamma: Float32Array | null,
  variance: Float32Array,
  epsilon: number,
): Float64Array {
  const ranges = new Float64Array(channels);
  for (let i = 0; i < kernel.length; i++) {
    const j = i % channels;
    const scale = (gamma ? (gamma[j] ?? 1) : 1) / Math.sqrt((variance[j] ?? 0) + epsilon);
    ranges[j] = Math.max(ranges[j] ?? 0, Math.abs((kernel[i] ?? 0) * scale));
  }
  return ranges;
}

function valuesOf(layer: Layer, suffix: string): Float32Array | null {
  const v = layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  // read() returns the live variable: read its values, never dispose it.
  return v ? (v.read().dataSync() as Float32Array) : null;
}

/** Folded range spread of every DepthwiseConv2D that feeds a BatchNormalization. */
export function depthwiseRangeRatios(model: tf.LayersModel): DepthwiseRange[] {
  const out: DepthwiseRange[] = [];
  for (const bn of model.layers) {
    if (bn.getClassName() !== 'BatchNormalization') continue;
    const source = (bn.input as tf.SymbolicTensor).sourceLayer;
    if (source.getClassName() !== 'DepthwiseConv2D') continue;
    const kernel = valuesOf(source, 'depthwise_kernel');
    const variance = valuesOf(bn, 'moving_variance');
    if (!kernel || !variance) throw new Error(`Cannot fold ${bn.name} into ${source.name}`);
    const epsilon = Number(bn.getConfig()['epsilon'] ?? 1e-3);
    const ranges = foldedChannelRanges(
      kernel,
      variance.length,
      valuesOf(bn, 'gamma'),
      variance,
      epsilon,
    );
    const minRange = Math.min(...ranges);
    const maxRange = Math.max(...ranges);
    out.push({
      layer: source.name,
      batchNorm: bn.name,
      channels: ranges.length,
      minRange,
      maxRange,
      ratio: maxRange / minRange,
    });
  }
  return out;
}
