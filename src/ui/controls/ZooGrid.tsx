import { useAppStore } from '@/store/hooks';
import { selectConfig, selectModels } from '@/store/selectors';
import { compact, percent } from '../format';

/** The built-in models as cards; clicking one selects it. */
export function ZooGrid() {
  const models = useAppStore(selectModels);
  const { model } = useAppStore(selectConfig);
  const setModel = useAppStore((s) => s.setModel);
  return (
    <section className="zoo" aria-label="Model zoo">
      {models.map((m) => (
        <button
          key={m.id}
          type="button"
          className={`zoo-card${m.id === model ? ' selected' : ''}`}
          aria-pressed={m.id === model}
          data-model={m.id}
          onClick={() => setModel(m.id)}
        >
          <span className="zoo-title">{m.title}</span>
          <span className="zoo-purpose">{m.purpose}</span>
          <span className="zoo-stats">
            <span>{compact(m.params)} params</span>
            <span>{compact(m.macsPerImage)} MACs</span>
            <span data-testid={`index-accuracy-${m.id}`}>FP32 {percent(m.fp32TestAccuracy)}</span>
          </span>
        </button>
      ))}
    </section>
  );
}
