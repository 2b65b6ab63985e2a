import { memo } from 'react';
import type { LayerReport } from '@/store/types';
import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';
import { dbText, percent } from '../format';

/**
 * Per-layer results: quantizers, SQNR, sensitivity; checkboxes keep a slot in FP32. A row (or
 * its name, from the keyboard) selects the layer for the charts below. Memoised: a slider step
 * re-renders the panel above it, not its rows.
 */
export const LayerTable = memo(function LayerTable({ layers }: { layers: LayerReport[] }) {
  const showInteger = layers.some((l) => l.integer);
  const overrides = useAppStore((s) => selectConfig(s).overrides);
  const setOverride = useAppStore((s) => s.setOverride);
  const selected = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);
  const fp32Box = (l: LayerReport, kind: 'weights' | 'activations') => {
    const has = kind === 'weights' ? l.weight : l.activation;
    if (!has) return null;
    return (
      <input
        type="checkbox"
        aria-label={`Keep ${l.node} ${kind} in FP32`}
        checked={overrides[l.node]?.[kind] === 'fp32'}
        onChange={(e) => setOverride(l.node, kind, e.target.checked ? 'fp32' : undefined)}
      />
    );
  };
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
          <th title="Keep this layer's weights / activations in FP32">FP32 W / A</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => (
          <tr
            key={l.node}
            data-node={l.node}
            className={l.node === selected ? 'selected' : undefined}
            // The whole row is a mouse target; the name's button is the keyboard one.
            onClick={(e) => {
              if (!(e.target instanceof HTMLInputElement)) selectLayer(l.node);
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
            <td>
              {fp32Box(l, 'weights')} {fp32Box(l, 'activations')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
});
