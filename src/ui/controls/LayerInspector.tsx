import { widestChannel } from '@/quant/tensorView';
import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';
import type { LayerReport } from '@/store/types';
import { dbText } from '../format';
import { ChannelMinMaxChart } from '../charts/ChannelMinMaxChart';
import { ErrorSplitBar } from '../charts/ErrorSplitBar';
import { QuantHistogram } from '../charts/QuantHistogram';
import { useLayerViews } from '../useLayerViews';

const fmt = (v: number) => String(Number(v.toPrecision(3)));

/**
 * The layer selected in the table: its folded FP32 weight histogram under the weight grid (the
 * selected channel when per-channel), the error split, its activation histogram under the
 * activation grid, and its per-channel weight ranges. Redrawn in the page on every slider step.
 */
export function LayerInspector({ layers }: { layers: LayerReport[] }) {
  const node = useAppStore((s) => s.selectedLayer);
  const data = useAppStore((s) => s.layerData);
  const config = useAppStore(selectConfig);
  const selectChannel = useAppStore((s) => s.selectChannel);
  const layer = layers.find((l) => l.node === node) ?? null;
  const v = useLayerViews(layer, data, config);
  if (!layer) {
    return (
      <p className="muted" data-testid="layer-inspector-empty">
        Select a layer in the table (click its row or its name) to see its weight and activation
        histograms with the quantization grid.
      </p>
    );
  }
  const w = v.weights;
  const ranges = v.channelRanges;
  const widest = ranges ? widestChannel(ranges) : null;
  const shape = data.weights?.node === layer.node ? data.weights.shape.join('×') : '';
  return (
    <div className="layer-inspector" data-testid="layer-inspector" data-node={layer.node}>
      <h4>
        {layer.node}{' '}
        <span className="muted">
          ({layer.type}
          {shape && `, kernel ${shape}`})
        </span>
      </h4>
      <div className="inspector-grid">
        <div>
          {w ? (
            <>
              {w.channel !== null && ranges && (
                <label className="channel-picker">
                  Channel{' '}
                  <select
                    aria-label="Weight channel"
                    value={w.channel}
                    onChange={(e) => selectChannel(Number(e.target.value))}
                  >
                    {ranges.map((r, c) => (
                      <option key={c} value={c}>
                        {c} [{fmt(r.min)}, {fmt(r.max)}]{c === widest ? ' (widest)' : ''}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <QuantHistogram
                testId="weight-histogram"
                caption={
                  `Folded FP32 weights${w.channel === null ? '' : ` of channel ${w.channel}`} ` +
                  `under the ${v.weightChoice} grid: ${w.grid.length} points, ` +
                  `[min, max] = [${fmt(w.encoding.min)}, ${fmt(w.encoding.max)}], ` +
                  `s = ${fmt(w.encoding.scale)}; SQNR ${dbText(w.sqnrDb)} dB ` +
                  `(whole kernel ${dbText(w.tensorSqnrDb)} dB)`
                }
                view={w}
              />
              <ErrorSplitBar testId="weight-error" errors={w.errors} />
              {config.ptq.adaround > 0 && (
                <p className="muted">
                  Drawn with round-to-nearest; the run&apos;s AdaRound kernel rounds some weights
                  the other way.
                </p>
              )}
            </>
          ) : (
            <p className="muted" data-testid="weight-histogram-empty">
              {v.weightChoice === 'fp32'
                ? 'Weights kept in FP32.'
                : layer.weight
                  ? 'Loading the folded kernel…'
                  : 'This layer has no weights.'}
            </p>
          )}
        </div>
        <div>
          {v.activations ? (
            <>
              <QuantHistogram
                testId="activation-histogram"
                caption={
                  `FP32 output on ${data.activations?.images ?? 0} calibration images under ` +
                  `the ${v.activationChoice} grid (${v.activationSource === 'run' ? "the run's calibrated range" : 'range estimated on this sample'}): ` +
                  `[min, max] = [${fmt(v.activations.encoding.min)}, ${fmt(v.activations.encoding.max)}]`
                }
                view={v.activations}
              />
              <ErrorSplitBar testId="activation-error" errors={v.activations.errors} />
            </>
          ) : (
            <p className="muted">
              {v.activationChoice === 'fp32'
                ? 'Activations kept in FP32.'
                : 'Loading the activation sample…'}
            </p>
          )}
        </div>
      </div>
      {ranges && ranges.length > 1 && (
        <ChannelMinMaxChart
          node={layer.node}
          ranges={ranges}
          selected={w?.channel ?? null}
          onSelect={selectChannel}
        />
      )}
    </div>
  );
}
