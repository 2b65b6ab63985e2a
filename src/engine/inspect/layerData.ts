/**
 * One layer's tensors for the playground's charts: the folded kernel the weight quantizer sees
 * (paper 2.3.1: BN folded first) and a sample of the FP32 activation its output quantizer is
 * calibrated on (paper 3.1). Plain copies, so they cross the worker boundary as they are.
 */
import * as tf from '@tensorflow/tfjs';
import type { LabeledSet } from '../data/dataset';
import type { LayerActivations, LayerWeights } from '../events';
import { isWeighted, type ModelIR, outChannels } from '../model/ir';
import { prepare } from '../quantsim/execute';

/** The prepared (folded, rewritten) model of a run, kept for these views. */
export interface PreparedModel {
  link: string;
  ir: ModelIR;
}

/** The node's folded kernel, or null when it has none. */
export function kernelOf(prepared: PreparedModel, node: string): LayerWeights | null {
  const n = prepared.ir.nodes.find((m) => m.name === node);
  const kernel = n?.weights.kernel;
  if (!n || !kernel || !isWeighted(n)) return null;
  return {
    node,
    link: prepared.link,
    values: kernel.values.slice(),
    shape: [...kernel.shape],
    channels: outChannels(n),
  };
}

/** Sample sizes: enough for a 64-bin histogram, small enough to post every run. */
export const ACTIVATION_IMAGES = 64;
export const ACTIVATION_VALUES = 1 << 16;

/**
 * A stride of about length / limit that is 1 more than a multiple of `channels`, so every
 * sampled index i·stride keeps channel i mod channels (the layout per-channel views need).
 * @example sampleStride(1000, 100, 8) === 17 (ceil(9/8)·8 + 1)
 */
export function sampleStride(length: number, limit: number, channels: number): number {
  const base = Math.ceil(length / limit);
  return base <= 1 ? 1 : Math.ceil((base - 1) / channels) * channels + 1;
}

/**
 * Runs the folded FP32 model on the first calibration images and keeps every stride-th value
 * of the node's output (at most ACTIVATION_VALUES, whole rows of channels), or null for an
 * unknown node.
 */
export async function sampleActivation(
  prepared: PreparedModel,
  node: string,
  calibration: LabeledSet,
): Promise<LayerActivations | null> {
  const irNode = prepared.ir.nodes.find((n) => n.name === node);
  if (!irNode) return null;
  const channels = Math.max(1, irNode.outputShape.at(-1) ?? 1);
  const images = Math.min(ACTIVATION_IMAGES, calibration.count);
  const fp = prepare(prepared.ir, { placement: [] });
  const { x } = calibration.batch(0, images);
  try {
    const r = fp.run(x, { collect: [node] });
    const out = r.activations?.get(node);
    const all = out ? await out.data<'float32'>() : new Float32Array(0);
    tf.dispose([r.output, ...r.outputs, ...(r.activations?.values() ?? [])]);
    const stride = sampleStride(all.length, ACTIVATION_VALUES, channels);
    const count = Math.floor(Math.ceil(all.length / stride) / channels) * channels;
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = all[i * stride] ?? 0;
    return { node, link: prepared.link, values, channels, images, stride };
  } finally {
    x.dispose();
    fp.dispose();
  }
}
