/**
 * Dense / Conv2D / DepthwiseConv2D / SeparableConv2D calls → IR nodes. ReLU and ReLU6 stay
 * fused in the op (paper §1.8); softmax/tanh/sigmoid become a separate activation node, so the
 * quantizer on the op's output sits before them (paper §1.8, §1.10). A SeparableConv2D is a
 * depthwise conv (strides, padding, dilation) then a 1×1 conv, as tf.separableConv2d computes.
 * The node named after the layer always outputs the layer's output; the others get suffixes.
 */
import type { FusedActivation, IrNode, OpConfigs } from './ir';
import type { ConfigReader } from './layerConfig';
import { pick } from './layerWeights';
import type { ImportedLayer, LayerCall } from './importLayer';

export function importWeighted(call: LayerCall, r: ConfigReader): ImportedLayer {
  const fn = r.activation();
  const activation: FusedActivation = fn === 'relu' || fn === 'relu6' ? fn : 'linear';
  const mainName = activation === fn ? call.name : `${call.name}/preact`;
  const base = { layer: call.layer.name, outputShape: call.outputShape, name: mainName };
  const nodes: IrNode[] = [];
  const conv = (): Omit<OpConfigs['conv2d'], 'activation'> => {
    r.channelsLast();
    return { strides: r.pair('strides'), padding: r.padding(), dilation: r.pair('dilationRate') };
  };
  const inputs = call.inputs;
  const weights = pick(call.weights, ['kernel', 'bias']);
  switch (r.className) {
    case 'Dense':
      nodes.push({ ...base, type: 'dense', inputs, config: { activation }, weights });
      break;
    case 'Conv2D':
      nodes.push({ ...base, type: 'conv2d', inputs, config: { ...conv(), activation }, weights });
      break;
    case 'DepthwiseConv2D': {
      const config = { ...conv(), depthMultiplier: r.num('depthMultiplier', 1), activation };
      nodes.push({ ...base, type: 'depthwiseConv2d', inputs, config, weights });
      break;
    }
    default:
      nodes.push(...separable(call, r, { ...conv(), activation }, base));
  }
  if (activation !== fn) {
    const config = { fn };
    nodes.push({
      ...base,
      name: call.name,
      type: 'activation',
      inputs: [mainName],
      config,
      weights: {},
    });
  }
  return { nodes, output: call.name };
}

function separable(
  call: LayerCall,
  r: ConfigReader,
  { activation, ...conv }: OpConfigs['conv2d'],
  base: { layer: string; outputShape: IrNode['outputShape']; name: string },
): IrNode[] {
  const w = call.weights;
  const kernel = w.get('kernel');
  const pointwise = w.get('pointwise');
  if (!kernel || !pointwise) throw r.unsupported('weights');
  // The depthwise kernel [kh, kw, in, multiplier] is the truth: TF.js's
  // SeparableConv2D.getConfig() omits depthMultiplier, so the config would always read 1.
  const depthMultiplier = kernel.shape[3] ?? r.num('depthMultiplier', 1);
  const dwName = `${call.name}/depthwise`;
  const channels = (kernel.shape[2] ?? 0) * (kernel.shape[3] ?? 0);
  return [
    {
      ...base,
      name: dwName,
      type: 'depthwiseConv2d',
      inputs: call.inputs,
      outputShape: [...call.outputShape.slice(0, -1), channels],
      config: { ...conv, depthMultiplier, activation: 'linear' },
      weights: { kernel },
    },
    {
      ...base,
      type: 'conv2d',
      inputs: [dwName],
      config: { strides: [1, 1], padding: 'valid', dilation: [1, 1], activation },
      weights: pick(new Map([...w, ['kernel', pointwise]]), ['kernel', 'bias']),
    },
  ];
}
