import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';

/** The integer path (paper 2.1): accumulator width, overflow behaviour and requantization. */
export function IntegerControls() {
  const integer = useAppStore((s) => selectConfig(s).integer);
  const setInteger = useAppStore((s) => s.setInteger);
  const off = !integer.enabled;
  return (
    <fieldset className="quantizer" data-testid="integer-controls">
      <legend>Integer path</legend>
      <label>
        <input
          type="checkbox"
          aria-label="Run integer path"
          checked={integer.enabled}
          onChange={(e) => setInteger({ enabled: e.target.checked })}
        />{' '}
        run with integer kernels
      </label>
      <label className="bits">
        Accumulator{' '}
        <input
          type="range"
          aria-label="Accumulator bits"
          min={8}
          max={32}
          value={integer.accumulatorBits}
          disabled={off}
          onChange={(e) => setInteger({ accumulatorBits: Number(e.target.value) })}
        />
        <output data-testid="accumulator-bits">{integer.accumulatorBits} bits</output>
      </label>
      <label>
        Overflow{' '}
        <select
          aria-label="Overflow"
          value={integer.overflow}
          disabled={off}
          onChange={(e) =>
            setInteger({ overflow: e.target.value === 'saturate' ? 'saturate' : 'wrap' })
          }
        >
          <option value="wrap">wrap (two&apos;s complement)</option>
          <option value="saturate">saturate (clamp every add)</option>
        </select>
      </label>
      <label>
        Requantization{' '}
        <select
          aria-label="Requantization"
          value={integer.requantization}
          disabled={off}
          onChange={(e) =>
            setInteger({ requantization: e.target.value === 'float' ? 'float' : 'fixed-point' })
          }
        >
          <option value="fixed-point">fixed-point multiplier + shift</option>
          <option value="float">float</option>
        </select>
      </label>
    </fieldset>
  );
}
