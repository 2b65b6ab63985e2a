import { MAX_BITS, MIN_BITS, type QuantChoice } from '@/config/quantChoice';
import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';
import { GRANULARITY_LABELS, RANGE_LABELS, SCHEME_LABELS } from '../labels';

interface Props {
  kind: 'weights' | 'activations';
  title: string;
}

function Select<K extends string>(props: {
  label: string;
  value: K;
  options: Record<K, string>;
  disabled: boolean;
  onChange: (v: K) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select
        aria-label={props.label}
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value as K)}
      >
        {(Object.entries(props.options) as [K, string][]).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One global quantizer: bit-width slider, scheme, granularity, range method, or off (FP32). */
export function QuantizerControls({ kind, title }: Props) {
  const slot = useAppStore((s) => selectConfig(s)[kind]);
  const patch = useAppStore((s) => s.patchQuantizer);
  const setQuantizer = useAppStore((s) => s.setQuantizer);
  const off = slot === 'fp32';
  const c: QuantChoice | null = off ? null : slot;
  const edit = (p: Partial<QuantChoice>) => patch(kind, p);
  return (
    <fieldset className="quantizer" data-testid={`quantizer-${kind}`}>
      <legend>{title}</legend>
      <label>
        <input
          type="checkbox"
          aria-label={`Quantize ${kind}`}
          checked={!off}
          onChange={(e) => (e.target.checked ? edit({}) : setQuantizer(kind, 'fp32'))}
        />{' '}
        quantize
      </label>
      <label className="bits">
        Bits{' '}
        <input
          type="range"
          aria-label={`${title} bits`}
          min={MIN_BITS}
          max={MAX_BITS}
          value={c?.bits ?? 8}
          disabled={off}
          onChange={(e) => edit({ bits: Number(e.target.value) })}
        />
        <output data-testid={`${kind}-bits`}>{off ? 'FP32' : c?.bits}</output>
      </label>
      <Select
        label={`${title} scheme`}
        value={c?.scheme ?? 'symmetric'}
        options={SCHEME_LABELS}
        disabled={off}
        onChange={(scheme) => edit({ scheme })}
      />
      <Select
        label={`${title} granularity`}
        value={c?.granularity ?? 'per-tensor'}
        options={GRANULARITY_LABELS}
        disabled={off}
        onChange={(granularity) => edit({ granularity })}
      />
      <Select
        label={`${title} range`}
        value={c?.range ?? 'min-max'}
        options={RANGE_LABELS}
        disabled={off}
        onChange={(range) => edit({ range })}
      />
      {c?.range === 'percentile' && (
        <label>
          Percentile{' '}
          <input
            type="number"
            aria-label={`${title} percentile`}
            min={90}
            max={100}
            step={0.01}
            value={c.percentile}
            onChange={(e) => {
              const p = Number(e.target.value);
              if (p > 50 && p <= 100) edit({ percentile: p });
            }}
          />
        </label>
      )}
    </fieldset>
  );
}
