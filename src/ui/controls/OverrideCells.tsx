import { MAX_BITS, MIN_BITS } from '@/config/quantChoice';
import type { LayerOverride } from '@/config/schema';
import { useAppStore } from '@/store/hooks';
import type { LayerReport } from '@/store/types';

const BITS = Array.from({ length: MAX_BITS - MIN_BITS + 1 }, (_, i) => MIN_BITS + i);

/** The override that applies to a row: by node name first, then Keras layer (config/slotSpec.ts). */
const rowOverride = (overrides: Record<string, LayerOverride>, l: LayerReport) =>
  overrides[l.node] ?? overrides[l.layer];

export const isRowOverridden = (overrides: Record<string, LayerOverride>, l: LayerReport) =>
  rowOverride(overrides, l) !== undefined;

/**
 * Locked while QAT trains, as aria-disabled (the handlers ignore input and the controlled value
 * snaps back), not the disabled attribute: disabling ~50 selects restyles every option in them
 * (Chromium's UA :disabled rules), 10-30 ms in the Train click's frame (docs/performance.md).
 */
const lockProps = (locked: boolean) =>
  locked ? { 'aria-disabled': true, title: 'Locked while QAT trains' } : {};

function SlotEditor(props: {
  l: LayerReport;
  kind: 'weights' | 'activations';
  override: LayerOverride | undefined;
  locked: boolean;
}) {
  const { l, kind, locked } = props;
  const setOverride = useAppStore((s) => s.setOverride);
  const setOverrideBits = useAppStore((s) => s.setOverrideBits);
  const has = kind === 'weights' ? l.weight : l.activation;
  if (!has) return <span className="slot-editor" />;
  const own = props.override?.[kind];
  const short = kind === 'weights' ? 'W' : 'A';
  return (
    <span className="slot-editor">
      <label title={`Keep ${l.node} ${kind} in FP32`}>
        <input
          type="checkbox"
          aria-label={`Keep ${l.node} ${kind} in FP32`}
          checked={own === 'fp32'}
          {...lockProps(locked)}
          onChange={(e) => {
            if (!locked) setOverride(l.node, kind, e.target.checked ? 'fp32' : undefined);
          }}
        />
        {short} FP32
      </label>
      <select
        aria-label={`Bits for ${l.node} ${kind}`}
        data-override={own === undefined ? '' : own === 'fp32' ? 'fp32' : own.bits}
        value={own === undefined || own === 'fp32' ? '' : String(own.bits)}
        disabled={own === 'fp32'}
        {...lockProps(locked)}
        onChange={(e) => {
          if (!locked)
            setOverrideBits(l.node, kind, e.target.value === '' ? null : Number(e.target.value));
        }}
      >
        <option value="">{short}: global</option>
        {BITS.map((b) => (
          <option key={b} value={b}>
            {short}: {b} bits
          </option>
        ))}
      </select>
    </span>
  );
}

/**
 * A row's per-layer overrides (AIMET/torch per-module qconfig): FP32 or a bit-width for the
 * weights and for the output activations, keeping the global scheme, granularity and range;
 * a reset when the row has any. Locked while QAT trains on the current settings.
 */
export function OverrideCells({ l, locked }: { l: LayerReport; locked: boolean }) {
  const overrides = useAppStore((s) => s.config.overrides);
  const resetOverride = useAppStore((s) => s.resetOverride);
  const override = rowOverride(overrides, l);
  return (
    <td data-col="overrides" className="overrides-cell">
      <SlotEditor l={l} kind="weights" override={override} locked={locked} />
      <SlotEditor l={l} kind="activations" override={override} locked={locked} />
      {override && (
        <button
          type="button"
          className="reset-override"
          aria-label={`Reset ${l.node} overrides`}
          {...lockProps(locked)}
          onClick={() => {
            if (!locked) resetOverride({ node: l.node, layer: l.layer });
          }}
        >
          Reset
        </button>
      )}
    </td>
  );
}
