// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LESSON_LINKS } from '@/config/lessons';
import { createAppStore } from '@/store/createAppStore';
import { createFakeEngineFactory, fakeQuantResult } from '@/store/fakeEngine';
import { StoreProvider } from '@/store/hooks';
import type { QuantResult } from '@/store/types';
import { lessonConfig } from './index';
import { LessonsPanel } from './LessonsPanel';

afterEach(cleanup);

function renderPanel() {
  const { factory } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
  render(
    <StoreProvider store={store}>
      <LessonsPanel />
    </StoreProvider>,
  );
  return store;
}

/** A finished run as the engine would report it for `link`. */
const done = (link: string, accuracy: number): QuantResult => ({
  ...fakeQuantResult(lessonConfig('3'), false),
  link,
  quantAccuracy: accuracy,
});

describe('LessonsPanel', () => {
  it('opens a lesson with its formula; the outcome waits for runs of its own links only', () => {
    const store = renderPanel();
    fireEvent.change(screen.getByLabelText('Lesson'), { target: { value: '3' } });
    expect(store.getState().lesson.lesson).toBe('3');
    expect(store.getState().config.model).toBe('dwsep');
    expect(document.querySelector('.lesson-math .katex')).not.toBeNull();
    const outcome = screen.getByTestId('lesson-outcome');
    expect(outcome.dataset['state']).toBe('pending');

    // A run of some other link never counts.
    act(() =>
      store.setState({
        quant: { ...store.getState().quant, status: 'done', result: done('v=1&model=mlp', 0.1) },
      }),
    );
    expect(outcome.textContent).toContain('waiting for the lesson’s run');

    act(() =>
      store.setState({
        quant: { ...store.getState().quant, status: 'done', result: done(LESSON_LINKS['3'], 0.87) },
      }),
    );
    expect(outcome.textContent).toContain('press “Try this”');

    // "Try this" changes one control: the weights become per-channel.
    fireEvent.click(screen.getByRole('button', { name: 'Switch the weights to per-channel' }));
    const w = store.getState().config.weights;
    expect(w !== 'fp32' && w.granularity).toBe('per-channel');
    const triedLink = 'v=1&model=dwsep&backend=wasm&n=300&cal=256';
    act(() =>
      store.setState({
        quant: { ...store.getState().quant, status: 'done', result: done(triedLink, 0.98) },
      }),
    );
    expect(outcome.dataset['state']).toBe('pass');
    expect(outcome.textContent).toContain('✓');
    expect(outcome.textContent).toContain('per-tensor 87.0%, per-channel 98.0%: +11.0 points');
    expect(screen.getByTestId('lesson-moved').textContent).toContain('accuracy 87.0% → 98.0%');
  });

  it('presenter mode puts a class on <body> and into the store', () => {
    const store = renderPanel();
    fireEvent.click(screen.getByLabelText('Presenter mode'));
    expect(store.getState().lesson.present).toBe(true);
    expect(document.body.classList.contains('presenter')).toBe(true);
    fireEvent.click(screen.getByLabelText('Presenter mode'));
    expect(document.body.classList.contains('presenter')).toBe(false);
  });
});
