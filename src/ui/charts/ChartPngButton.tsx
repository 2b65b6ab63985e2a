import { useState } from 'react';
import { useAppStore } from '@/store/hooks';
import { download } from '../download';
import { chartFileName, figurePng } from './chartPng';

/**
 * A small "PNG" button in a chart's corner: paints the enclosing figure (chartPng.ts) and
 * downloads it as `<model>-<chart test id>.png`. Any error is a notification.
 */
export function ChartPngButton({ label }: { label: string }) {
  const model = useAppStore((s) => s.config.model);
  const notify = useAppStore((s) => s.notify);
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="png-button"
      aria-label={`Download ${label} as PNG`}
      title="Download this chart as PNG"
      disabled={busy}
      onClick={(e) => {
        const figure = e.currentTarget.closest('figure');
        if (!figure) return;
        const chart = figure.getAttribute('data-testid') ?? 'chart';
        setBusy(true);
        figurePng(figure)
          .then((png) => download(chartFileName(model, chart), png, 'image/png'))
          .catch((err: unknown) =>
            notify('error', `The chart could not be saved as PNG: ${String(err)}`),
          )
          .finally(() => setBusy(false));
      }}
    >
      PNG
    </button>
  );
}
