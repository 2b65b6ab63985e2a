import { memo, useMemo } from 'react';
import { compareRows, comparable } from '@/store/compare';
import type { LayerReport } from '@/store/types';
import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';
import { dbText, percent } from '../format';
import { useHidden } from '../Hideable';
import { BaselineCells, BaselineHeaders } from './BaselineCells';
import { isRowOverridden, OverrideCells } from './OverrideCells';

/**
 * Per-layer results: quantizers, SQNR, sensitivity; per-layer overrides (FP32 or bits); with a
 * pinned baseline of the same model, its figures and the deltas. A row (or its name, from the
 * keyboard) selects the layer for the charts below. Memoised: a slider step re-renders the
 * panel above it, not its rows.
 */
export const LayerTable = memo(function LayerTable({ layers }: { layers: LayerReport[] }) {
  const showInteger = layers.some((l) => l.integer);
  const overrides = useAppStore((s) => selectConfig(s).overrides);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const baseline = useAppStore((s) => s.baseline);
  const modelId = useAppStore((s) => s.quant.result?.modelId ?? null);
  const qatActive = useAppStore((s) => s.qat.status === 'running' || s.qat.status === 'paused');
  const showOverrides = !useHidden('overrides');
  const compared = comparable(baseline, modelId === null ? null : { modelId }) ? baseline : null;
  const rows = useMemo(
    () => (compared ? new Map(compareRows(compared, layers).map((r) => [r.node, r])) : null),
    [compared, layers],
  );
  return (
    <table className="layers" aria-label="Per-layer results">
      <thead>
        <tr>
          <th>Layer</th>
          <th>Type</th>
          <th>Output</th>
          <th>Weights</th>
          <th title="Weight SQNR (dB): folded FP32 kernel vs its fake-quantized values">W-SQNR</th>
          <th>Activations</th>
          <th title="Activation SQNR (dB): quantized run vs FP32 run at this layer's output">
            A-SQNR
          </th>
          <th title="Accuracy with only this layer quantized">Only this</th>
          <th title="Accuracy with layers 1..this one quantized">Cumulative</th>
          {showInteger && (
            <>
              <th title="Smallest signed accumulator width that holds every partial sum">
                Acc bits needed
              </th>
              <th title="Accumulator width minus bits needed; negative means overflow">Headroom</th>
              <th title="Accumulation steps that wrapped or clipped">Overflow</th>
              <th title="Output codes equal to the fake-quant simulation's for the same input codes">
                Codes = FQ
              </th>
            </>
          )}
          {rows && <BaselineHeaders />}
          {showOverrides && (
            <th title="Per-layer overrides: FP32 or a bit-width for the weights and the output activations (scheme, granularity and range as the global quantizer)">
              Overrides
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => (
          <tr
            key={l.node}
            data-node={l.node}
            data-overridden={isRowOverridden(overrides, l)}
            className={
              [
                l.node === selected ? 'selected' : '',
                isRowOverridden(overrides, l) ? 'overridden' : '',
              ]
                .filter(Boolean)
                .join(' ') || undefined
            }
            // The whole row is a mouse target; the name's button and the editors are keyboard ones.
            onClick={(e) => {
              const t = e.target;
              if (t instanceof Element && t.closest('input, select, button, label')) return;
              selectLayer(l.node);
            }}
          >
            <td>
              <button
                type="button"
                className="layer-name"
                aria-pressed={l.node === selected}
                aria-label={`Show charts for ${l.node}`}
                onClick={() => selectLayer(l.node)}
              >
                {l.node}
              </button>
            </td>
            <td>{l.type}</td>
            <td>{l.outputShape.slice(1).join('×')}</td>
            <td>{l.weight?.choice ?? ''}</td>
            <td data-col="w-sqnr">{dbText(l.weight?.sqnrDb)}</td>
            <td>{l.activation?.choice ?? ''}</td>
            <td data-col="a-sqnr">{dbText(l.activation?.sqnrDb)}</td>
            <td data-col="sensitivity">{l.sensitivity ? percent(l.sensitivity.accuracy) : ''}</td>
            <td data-col="cumulative">{l.cumulative ? percent(l.cumulative.accuracy) : ''}</td>
            {showInteger && (
              <>
                <td data-col="bits-needed">{l.integer?.bitsNeeded ?? ''}</td>
                <td
                  data-col="headroom"
                  className={l.integer && l.integer.headroomBits < 0 ? 'overflow' : ''}
                >
                  {l.integer
                    ? `${l.integer.headroomBits > 0 ? '+' : ''}${l.integer.headroomBits}`
                    : ''}
                </td>
                <td data-col="overflow">
                  {l.integer ? percent(l.integer.overflowFraction, 3) : ''}
                </td>
                <td data-col="codes-equal">
                  {l.integer?.codeAgreement
                    ? percent(l.integer.codeAgreement.equalFraction, 2)
                    : ''}
                </td>
              </>
            )}
            {rows && <BaselineCells row={rows.get(l.node)} />}
            {showOverrides && <OverrideCells l={l} locked={qatActive} />}
          </tr>
        ))}
      </tbody>
    </table>
  );
});
