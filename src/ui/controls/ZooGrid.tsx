import { useAppStore } from '@/store/hooks';
import { selectConfig, selectModels } from '@/store/selectors';
import { compact, percent } from '../format';

/** The built-in models and the person's uploads as cards; clicking one selects it. */
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
          className={`zoo-card${m.id === model ? ' selected' : ''}${m.uploaded ? ' uploaded' : ''}`}
          aria-pressed={m.id === model}
          data-model={m.id}
          onClick={() => setModel(m.id)}
        >
          {m.uploaded && <span className="zoo-badge">uploaded</span>}
          <span className="zoo-title">{m.title}</span>
          <span className="zoo-purpose">{m.purpose}</span>
          <span className="zoo-stats">
            <span>{compact(m.params)} params</span>
            <span>{compact(m.macsPerImage)} MACs</span>
            <span data-testid={`index-accuracy-${m.id}`}>
              {/* An upload's accuracy is known only once a run measures it. */}
              FP32 {m.uploaded ? 'not yet measured' : percent(m.fp32TestAccuracy)}
            </span>
          </span>
        </button>
      ))}
    </section>
  );
}
