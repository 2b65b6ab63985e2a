import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';

/** The post-training steps of paper section 3, each a switch, and the standard pipeline (3.5). */
export function PtqControls() {
  const ptq = useAppStore((s) => selectConfig(s).ptq);
  const setPtq = useAppStore((s) => s.setPtq);
  const applyStandardPtq = useAppStore((s) => s.applyStandardPtq);
  return (
    <fieldset className="quantizer" data-testid="ptq-controls">
      <legend>PTQ steps</legend>
      <label>
        <input
          type="checkbox"
          aria-label="Cross-layer equalization"
          checked={ptq.cle}
          onChange={(e) => setPtq({ cle: e.target.checked })}
        />
        cross-layer equalization
      </label>
      <label>
        <input
          type="checkbox"
          aria-label="Bias absorption"
          checked={ptq.biasAbsorption}
          onChange={(e) => setPtq({ biasAbsorption: e.target.checked })}
        />
        bias absorption
      </label>
      <label>
        <input
          type="checkbox"
          aria-label="AdaRound"
          checked={ptq.adaround > 0}
          onChange={(e) => setPtq({ adaround: e.target.checked ? 500 : 0 })}
        />
        AdaRound
        <input
          type="number"
          aria-label="AdaRound iterations"
          min={1}
          max={20000}
          step={100}
          value={ptq.adaround || 500}
          disabled={ptq.adaround === 0}
          onChange={(e) => {
            const n = Math.round(Number(e.target.value));
            if (n >= 1 && n <= 20000) setPtq({ adaround: n });
          }}
        />{' '}
        iterations per layer
      </label>
      <label>
        Bias correction{' '}
        <select
          aria-label="Bias correction"
          value={ptq.biasCorrection}
          onChange={(e) =>
            setPtq({
              biasCorrection:
                e.target.value === 'empirical' || e.target.value === 'analytic'
                  ? e.target.value
                  : 'off',
            })
          }
        >
          <option value="off">off</option>
          <option value="empirical">empirical (calibration data)</option>
          <option value="analytic">analytic (BN statistics)</option>
        </select>
      </label>
      <button type="button" onClick={applyStandardPtq}>
        Standard PTQ pipeline
      </button>
    </fieldset>
  );
}
