import { qatConfigSchema, type QatConfig } from '@/config/schema';
import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';
import { QAT_BN_LABELS, QAT_OPTIMIZER_LABELS } from '../labels';
import { NumberField } from './NumberField';

const BATCH_SIZES = [16, 32, 64, 128, 256];
const TRAIN_LIMITS = [320, 640, 1280, 2560, 5120];

/** The schema decides what is valid, so the controls and the link agree on every limit. */
const accepts =
  <K extends keyof QatConfig>(key: K) =>
  (n: number) =>
    qatConfigSchema.shape[key].safeParse(n).success;

/** Sorted preset values plus the current one (a link may carry any valid value). */
const withCurrent = (presets: number[], current: number) =>
  [...new Set([...presets, current])].sort((a, b) => a - b);

/** Every QAT setting of the config (paper 4.4's pipeline knobs); locked while a run trains. */
export function QatSettings({ locked }: { locked: boolean }) {
  const qat = useAppStore((s) => selectConfig(s).qat);
  const setQat = useAppStore((s) => s.setQat);
  return (
    <fieldset className="quantizer" data-testid="qat-settings" disabled={locked}>
      <legend>QAT settings</legend>
      <NumberField
        label="Epochs"
        value={qat.epochs}
        min={1}
        max={50}
        step={1}
        accept={accepts('epochs')}
        onChange={(epochs) => setQat({ epochs })}
      />
      <label>
        Batch size{' '}
        <select
          aria-label="Batch size"
          value={qat.batchSize}
          onChange={(e) => setQat({ batchSize: Number(e.target.value) })}
        >
          {withCurrent(BATCH_SIZES, qat.batchSize).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Train images per epoch{' '}
        <select
          aria-label="Train images per epoch"
          value={qat.trainLimit ?? 'all'}
          onChange={(e) =>
            setQat({ trainLimit: e.target.value === 'all' ? null : Number(e.target.value) })
          }
        >
          {(qat.trainLimit === null ? TRAIN_LIMITS : withCurrent(TRAIN_LIMITS, qat.trainLimit)).map(
            (n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ),
          )}
          <option value="all">all</option>
        </select>
      </label>
      <label>
        Optimizer{' '}
        <select
          aria-label="Optimizer"
          value={qat.optimizer}
          onChange={(e) => setQat({ optimizer: e.target.value === 'sgd' ? 'sgd' : 'adam' })}
        >
          {(Object.entries(QAT_OPTIMIZER_LABELS) as [QatConfig['optimizer'], string][]).map(
            ([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ),
          )}
        </select>
      </label>
      <NumberField
        label="Learning rate"
        value={qat.learningRate}
        min={0.000001}
        max={1}
        step="any"
        accept={accepts('learningRate')}
        onChange={(learningRate) => setQat({ learningRate })}
      />
      <label>
        <input
          type="checkbox"
          aria-label="Learnable ranges"
          checked={qat.learnRanges}
          onChange={(e) => setQat({ learnRanges: e.target.checked })}
        />
        learnable ranges (LSQ scales and zero points)
      </label>
      <label>
        BN handling{' '}
        <select
          aria-label="BN handling"
          value={qat.bn}
          onChange={(e) => setQat({ bn: e.target.value === 'keep' ? 'keep' : 'fold' })}
        >
          {(Object.entries(QAT_BN_LABELS) as [QatConfig['bn'], string][]).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
