/**
 * The selected layer's weight and activation views, recomputed in the page from the tensors
 * fetched once (store.layerData) and the current config: moving a bit-width slider redraws the
 * grid, the clipping thresholds and the error split in the same frame, with no worker call.
 */
import { useMemo } from 'react';
import { formatQuantChoice } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import { slotChoice, toQuantizerSpec, weightSpec } from '@/config/slotSpec';
import { perChannelMinMax } from '@/quant/granularity';
import { tensorView, type TensorView } from '@/quant/tensorView';
import type { ClipRange, Encodings, QuantizerSpec } from '@/quant/types';
import type { AppState, LayerReport } from '@/store/types';

type Summary = NonNullable<NonNullable<LayerReport['activation']>['encoding']>;

/** A run's encoding summary back as Encodings (fields fakeQuant and the grid read). */
export function summaryEncodings(e: Summary): Encodings {
  const channels = e.scale.length;
  return {
    bitwidth: e.bitwidth as Encodings['bitwidth'],
    scheme: e.scheme as Encodings['scheme'],
    signed: e.qmin < 0,
    narrowRange: false,
    isSymmetric: e.isSymmetric,
    qmin: e.qmin,
    qmax: e.qmax,
    granularity: channels > 1 ? 'per-channel' : 'per-tensor',
    layout: { channels, inner: 1 },
    scale: Float32Array.from(e.scale),
    zeroPoint: Int32Array.from(e.zeroPoint),
    min: Float32Array.from(e.min),
    max: Float32Array.from(e.max),
  };
}

/** An activation spec the page can resolve on a sample: no BN statistics, no logits shape. */
function activationSpec(spec: QuantizerSpec): QuantizerSpec {
  const method = spec.range?.method;
  if (method === 'bn') return { ...spec, range: { method: 'min-max' } };
  if (method === 'cross-entropy') return { ...spec, range: { method: 'mse' } };
  return spec;
}

export interface LayerViews {
  weights: TensorView | null;
  /** Min and max of every output channel of the kernel (the paper's Fig. 5 view). */
  channelRanges: ClipRange[] | null;
  activations: TensorView | null;
  /** Where the activation encoding came from: the run's calibration, or the page's sample. */
  activationSource: 'run' | 'sample' | null;
  /** The slots' choices as share-link tokens ('fp32' when kept in float). */
  weightChoice: string;
  activationChoice: string;
}

export function useLayerViews(
  layer: LayerReport | null,
  data: AppState['layerData'],
  config: ExperimentConfig,
): LayerViews {
  const at = layer ?? { node: '', layer: '' };
  const wChoice = slotChoice(config, at, 'weights');
  const aChoice = slotChoice(config, at, 'activations');
  const w = data.weights?.node === layer?.node ? data.weights : null;
  const a = data.activations?.node === layer?.node ? data.activations : null;
  const channel = data.channel;

  const channelRanges = useMemo(
    () => (w ? perChannelMinMax(w.values, { channels: w.channels, inner: 1 }) : null),
    [w],
  );
  const weights = useMemo(() => {
    const spec = weightSpec(wChoice);
    if (!w || !spec) return null;
    const layout = { channels: w.channels, inner: 1 };
    return tensorView(w.values, { spec, layout }, channel === null ? {} : { channel });
  }, [w, wChoice, channel]);

  const runActivation = layer?.activation ?? null;
  const activationToken = aChoice === 'fp32' ? 'fp32' : formatQuantChoice(aChoice);
  const fromRun =
    runActivation?.encoding && runActivation.choice === activationToken
      ? runActivation.encoding
      : null;
  const activations = useMemo(() => {
    if (!a || aChoice === 'fp32') return null;
    if (fromRun) return tensorView(a.values, { encodings: summaryEncodings(fromRun) });
    const spec = activationSpec(toQuantizerSpec(aChoice));
    return tensorView(a.values, { spec, layout: { channels: a.channels, inner: 1 } });
  }, [a, aChoice, fromRun]);

  return {
    weights,
    channelRanges,
    activations,
    activationSource: activations ? (fromRun ? 'run' : 'sample') : null,
    weightChoice: wChoice === 'fp32' ? 'fp32' : formatQuantChoice(wChoice),
    activationChoice: activationToken,
  };
}
