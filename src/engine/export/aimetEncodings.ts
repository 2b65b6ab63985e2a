/**
 * A result's encodings in AIMET's encodings-file layout (version 0.6.1): `param_encodings`
 * keyed `<node>.kernel` with one entry per channel, `activation_encodings` keyed by the node
 * whose output is quantized. Offsets follow AIMET (offset = qmin − zero point; quant/aimet.ts).
 */
import { toAimetEncodings, type AimetEncoding } from '@/quant/aimet';
import type { BitWidth, Encodings, Granularity, Scheme } from '@/quant/types';
import type { EncodingSummary, QuantResult } from '../events';

export interface AimetEncodingsFile {
  version: '0.6.1';
  activation_encodings: Record<string, AimetEncoding[]>;
  param_encodings: Record<string, AimetEncoding[]>;
  excluded_layers: string[];
  quantizer_args: Record<string, string | number | boolean>;
  /** Not AIMET: where this file came from, so it can be reproduced. */
  playground: {
    model: string;
    link: string;
    fp32Accuracy: number | null;
    quantAccuracy: number | null;
  };
}

function fromSummary(s: EncodingSummary): Encodings {
  return {
    bitwidth: s.bitwidth as BitWidth,
    scheme: s.scheme as Scheme,
    signed: s.qmin < 0,
    narrowRange: s.qmin < 0 ? s.qmin === -s.qmax : s.qmax === 2 ** s.bitwidth - 2,
    isSymmetric: s.isSymmetric,
    qmin: s.qmin,
    qmax: s.qmax,
    granularity: s.granularity as Granularity,
    layout: { channels: s.scale.length, inner: 1 },
    scale: Float32Array.from(s.scale),
    zeroPoint: Int32Array.from(s.zeroPoint),
    min: Float32Array.from(s.min),
    max: Float32Array.from(s.max),
  };
}

export function toAimetFile(result: QuantResult): AimetEncodingsFile {
  const params: Record<string, AimetEncoding[]> = {};
  const acts: Record<string, AimetEncoding[]> = {};
  const excluded: string[] = [];
  for (const l of result.layers) {
    if (l.weight?.encoding)
      params[`${l.node}.kernel`] = toAimetEncodings(fromSummary(l.weight.encoding));
    if (l.activation?.encoding) acts[l.node] = toAimetEncodings(fromSummary(l.activation.encoding));
    if (
      l.weight?.choice === 'fp32' &&
      l.activation?.choice !== undefined &&
      l.activation.choice === 'fp32'
    ) {
      excluded.push(l.node);
    }
  }
  const firstW = result.layers.find((l) => l.weight?.encoding)?.weight?.encoding;
  const firstA = result.layers.find((l) => l.activation?.encoding)?.activation?.encoding;
  return {
    version: '0.6.1',
    activation_encodings: acts,
    param_encodings: params,
    excluded_layers: excluded,
    quantizer_args: {
      activation_bitwidth: firstA?.bitwidth ?? 32,
      param_bitwidth: firstW?.bitwidth ?? 32,
      dtype: 'int',
      per_channel_quantization: firstW?.granularity === 'per-channel',
      is_symmetric: firstW?.isSymmetric ?? true,
      quant_scheme: 'post_training_tf',
    },
    playground: {
      model: result.modelId,
      link: result.link,
      fp32Accuracy: result.fp32Accuracy,
      quantAccuracy: result.quantAccuracy,
    },
  };
}
