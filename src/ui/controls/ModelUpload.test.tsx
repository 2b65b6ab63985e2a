// @vitest-environment jsdom
import { File as NodeFile } from 'node:buffer';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '@/store/createAppStore';
import { createFakeEngineFactory } from '@/store/fakeEngine';
import { StoreProvider } from '@/store/hooks';
import { ModelUpload } from './ModelUpload';
import { ZooGrid } from './ZooGrid';

afterEach(cleanup);

async function renderStarted() {
  const { factory, engines } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
  await store.getState().startEngine();
  render(
    <StoreProvider store={store}>
      <ModelUpload>
        <ZooGrid />
      </ModelUpload>
    </StoreProvider>,
  );
  return { store, engines };
}

/** Node's File: jsdom 26's Blob has no arrayBuffer(), which the store reads with (as browsers do). */
const file = (bits: string | Uint8Array, name: string) =>
  new NodeFile([bits], name) as unknown as File;
const files = () => [file('{}', 'model.json'), file(new Uint8Array(4), 'weights.bin')];

describe('ModelUpload', () => {
  it('sends the picked files to the store and shows the new card marked uploaded', async () => {
    const { store, engines } = await renderStarted();
    const input = screen.getByLabelText('Upload your own model');
    expect(input).toHaveProperty('accept', '.json,.bin');
    expect(input).toHaveProperty('multiple', true);
    await act(async () => {
      fireEvent.change(input, { target: { files: files() } });
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(engines[0]?.uploads[0]?.map((f) => f.name)).toEqual(['model.json', 'weights.bin']);
    expect(store.getState().config.model).toBe('custom-1');
    const card = screen.getByRole('button', { name: /uploaded/ });
    expect(card.getAttribute('aria-pressed')).toBe('true');
    expect(card.textContent).toContain('FP32 not yet measured');
  });

  it('takes files dropped on the zoo area, and says what it is validating', async () => {
    const { store, engines } = await renderStarted();
    const zone = screen.getByTestId('model-drop-zone');
    const dataTransfer = { types: ['Files'], files: files(), dropEffect: 'none' };
    fireEvent.dragOver(zone, { dataTransfer });
    expect(zone.className).toContain('drop-over');
    fireEvent.drop(zone, { dataTransfer });
    expect(zone.className).not.toContain('drop-over');
    expect(screen.getByTestId('upload-status').textContent).toContain(
      'Validating model.json, weights.bin…',
    );
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(engines[0]?.uploads).toHaveLength(1);
    expect(store.getState().upload.status).toBe('idle');
    expect(screen.getByTestId('upload-status').textContent).toBe('');
  });

  it('ignores a drag that carries no files (text, a link)', async () => {
    const { engines } = await renderStarted();
    const zone = screen.getByTestId('model-drop-zone');
    fireEvent.drop(zone, { dataTransfer: { types: ['text/plain'], files: [] } });
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(engines[0]?.uploads).toEqual([]);
  });
});
