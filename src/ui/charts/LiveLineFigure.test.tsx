// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '@/store/createAppStore';
import { createFakeEngineFactory } from '@/store/fakeEngine';
import { StoreProvider } from '@/store/hooks';
import { LiveLineFigure } from './LiveLineFigure';

afterEach(cleanup);

function draw(ui: React.ReactNode) {
  const store = createAppStore({ createEngine: createFakeEngineFactory().factory, baseUrl: 'x' });
  render(<StoreProvider store={store}>{ui}</StoreProvider>);
  return document.querySelector('figure') as HTMLElement;
}

describe('LiveLineFigure (plain-SVG QAT curves)', () => {
  it('maps the data extent onto the plot, skipping non-finite points', () => {
    // One series: no legend, so the plot spans y 8..158 (180 − 8 − 22) and x 48..548.
    const f = draw(
      <LiveLineFigure
        testId="t"
        caption="Loss"
        x="step"
        points={3}
        rows={[
          { step: 1, loss: 2 },
          { step: 2, loss: NaN },
          { step: 3, loss: 1 },
        ]}
        lines={[{ key: 'loss' }]}
      />,
    );
    expect(f.getAttribute('data-points')).toBe('3');
    // Auto range [1, 2] (already on 0.2 ticks): loss 2 at the top, loss 1 at the bottom.
    expect(f.querySelector('path[fill="none"]')?.getAttribute('d')).toBe('M48.0 8.0L548.0 158.0');
    expect(f.querySelectorAll('circle')).toHaveLength(2);
    expect(f.querySelector('desc')?.textContent).toContain('from 1 to 2');
  });

  it('holds a fixed domain, clamps outside it, and draws a legend for several series', () => {
    const f = draw(
      <LiveLineFigure
        testId="t"
        caption="Accuracy"
        x="epoch"
        points={2}
        yDomain={[0.5, 1]}
        references={[{ y: 0.75, label: 'PTQ start' }]}
        rows={[
          { epoch: 0, a: 0.25, b: 1 },
          { epoch: 1, a: 0.75, b: 1 },
        ]}
        lines={[{ key: 'a' }, { key: 'b', name: 'trend', dashed: true }]}
      />,
    );
    // A legend row (14 + 4 px) moves the plot down: y 26..158, so 0.75 sits at 92.
    const [a, b] = [...f.querySelectorAll('path[fill="none"]')].map((p) => p.getAttribute('d'));
    expect(a).toBe('M48.0 158.0L548.0 92.0');
    expect(b).toBe('M48.0 26.0L548.0 26.0');
    expect(f.querySelectorAll('path[stroke-dasharray="4 3"]')).toHaveLength(1);
    expect(f.textContent).toContain('trend');
    expect(f.textContent).toContain('PTQ start');
  });
});
