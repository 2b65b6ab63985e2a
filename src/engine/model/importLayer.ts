/**
 * One Keras layer call → IR node(s). SeparableConv2D becomes depthwise + pointwise nodes, and
 * a softmax/tanh/sigmoid fused in a Dense/Conv config becomes its own activation node, so that
 * every IR op's fused activation is one an accelerator fuses (paper §1.8) and the quantizer
 * placement can put the last quantizer before the softmax (paper §1.10).
 */
import type * as tf from '@tensorflow/tfjs';
import type { IrNode, NodeOf, OpConfigs, OpType, Shape } from './ir';
import { importWeighted } from './importWeighted';
import { ConfigReader } from './layerConfig';
import { pick, type LayerWeights } from './layerWeights';

/** The Keras classes importLayer handles; model/topology.ts refuses others before TF.js builds them. */
export const SUPPORTED_LAYERS: ReadonlySet<string> = new Set([
  'InputLayer',
  'Dense',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'BatchNormalization',
  'Activation',
  'ReLU',
  'Softmax',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'Flatten',
  'Reshape',
  'ZeroPadding2D',
  'Add',
  'Concatenate',
  'Dropout',
]);

export interface LayerCall {
  readonly layer: tf.layers.Layer;
  /** IR name of the call's output: the layer name, or `name#k` for a shared layer. */
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputShape: Shape;
  /** The layer's weights (readWeights), shared by all calls of a shared layer. */
  readonly weights: LayerWeights;
}

export interface ImportedLayer {
  readonly nodes: IrNode[];
  /** The node whose output is the layer's output (what downstream layers read). */
  readonly output: string;
}

export function importLayer(call: LayerCall): ImportedLayer {
  const className = call.layer.getClassName();
  const r = new ConfigReader(call.layer.name, className, call.layer.getConfig());
  const base = { layer: call.layer.name, outputShape: call.outputShape };
  const rank = call.outputShape.length;
  const one = <T extends OpType>(
    type: T,
    config: OpConfigs[T],
    weights: NodeOf<T>['weights'] = {},
  ): ImportedLayer => {
    const node = { ...base, name: call.name, type, inputs: call.inputs, config, weights };
    return { nodes: [node as NodeOf<T> as IrNode], output: call.name };
  };
  const pool = () => {
    r.channelsLast();
    return { poolSize: r.pair('poolSize'), strides: r.pair('strides'), padding: r.padding() };
  };
  switch (className) {
    case 'InputLayer':
      return one('input', {});
    case 'Dense':
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D':
      return importWeighted(call, r);
    case 'BatchNormalization':
      r.lastAxis('axis', rank, -1);
      return one(
        'batchNorm',
        { epsilon: r.num('epsilon') },
        pick(call.weights, ['gamma', 'beta', 'movingMean', 'movingVariance']),
      );
    case 'Activation':
      return one('activation', { fn: r.activation() });
    case 'ReLU': {
      const max = r.raw('maxValue');
      if (max === null || max === undefined) return one('activation', { fn: 'relu' });
      if (max === 6) return one('activation', { fn: 'relu6' });
      throw r.unsupported(`maxValue=${String(max)}`);
    }
    case 'Softmax':
      r.lastAxis('axis', rank, -1);
      return one('activation', { fn: 'softmax' });
    case 'MaxPooling2D':
      return one('maxPool2d', pool());
    case 'AveragePooling2D':
      return one('avgPool2d', pool());
    case 'GlobalAveragePooling2D':
      r.channelsLast();
      return one('globalAvgPool2d', {});
    case 'Flatten':
      r.channelsLast();
      return one('flatten', {});
    case 'Reshape': {
      const target = r.raw('targetShape');
      if (!Array.isArray(target)) throw r.unsupported(`targetShape=${String(target)}`);
      return one('reshape', { targetShape: target.map((d) => (typeof d === 'number' ? d : -1)) });
    }
    case 'ZeroPadding2D': {
      r.channelsLast();
      return one('zeroPadding2d', { padding: [r.pairAt('padding', 0), r.pairAt('padding', 1)] });
    }
    case 'Add':
      return one('add', {});
    case 'Concatenate':
      return one('concatenate', { axis: r.num('axis', -1) });
    case 'Dropout':
      return one('dropout', { rate: r.num('rate', 0) });
    default:
      throw r.unsupported();
  }
}
