// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, DEFAULT_WEIGHTS } from '@/config/defaults';
import { createAppStore } from '@/store/createAppStore';
import { createFakeEngineFactory } from '@/store/fakeEngine';
import { StoreProvider } from '@/store/hooks';
import { LayerTable } from './LayerTable';

afterEach(cleanup);

async function renderTable() {
  const { factory } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
  await store.getState().startEngine();
  await store.getState().quantize();
  const draw = () => {
    const layers = store.getState().quant.result?.layers ?? [];
    return (
      <StoreProvider store={store}>
        <LayerTable layers={layers} />
      </StoreProvider>
    );
  };
  const view = render(draw());
  return { store, rerender: () => view.rerender(draw()) };
}

const row = () => document.querySelector('tr[data-node="conv1"]');
const cell = (col: string) => row()?.querySelector(`td[data-col="${col}"]`);

describe('LayerTable overrides and compare columns', () => {
  it('a row bit pick writes the override; the row is marked and resets', async () => {
    const { store } = await renderTable();
    act(() => {
      fireEvent.change(screen.getByLabelText('Bits for conv1 weights'), { target: { value: '3' } });
    });
    expect(store.getState().config.overrides).toEqual({
      conv1: { weights: { ...DEFAULT_WEIGHTS, bits: 3 } },
    });
    expect(row()?.getAttribute('data-overridden')).toBe('true');
    act(() => {
      fireEvent.click(screen.getByLabelText('Keep conv1 weights in FP32'));
    });
    expect(store.getState().config.overrides['conv1']?.weights).toBe('fp32');
    expect(screen.getByLabelText('Bits for conv1 weights')).toHaveProperty('disabled', true);
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Reset conv1 overrides' }));
    });
    expect(store.getState().config.overrides).toEqual({});
    expect(row()?.getAttribute('data-overridden')).toBe('false');
  });

  it('shows baseline columns with signed deltas after a pin and a 4-bit run', async () => {
    const { store, rerender } = await renderTable();
    expect(cell('w-sqnr-base')).toBeNull();
    act(() => store.getState().pinBaseline());
    store.getState().patchQuantizer('weights', { bits: 4 });
    await act(() => store.getState().quantize());
    rerender();
    // The fake engine: 6 dB per weight bit, so 48.0 dB pinned, 24.0 now.
    expect(cell('w-sqnr')?.textContent).toBe('24.0');
    expect(cell('w-sqnr-base')?.textContent).toBe('48.0');
    expect(cell('w-sqnr-delta')?.textContent).toBe('−24.0');
    expect(cell('w-sqnr-delta')?.className).toContain('worse');
    expect(cell('a-sqnr-delta')?.textContent).toBe('0.0'); // activations unchanged
    expect(cell('a-sqnr-delta')?.getAttribute('data-value')).toBe('0');
  });

  it('hide=overrides drops the editors; a QAT run locks them', async () => {
    const { store } = await renderTable();
    act(() => store.getState().applyConfig({ ...DEFAULT_CONFIG, hide: ['overrides'] }));
    expect(cell('overrides')).toBeNull();
    act(() => store.getState().applyConfig({ ...DEFAULT_CONFIG }));
    const bits = () => screen.getByLabelText('Bits for conv1 weights') as HTMLSelectElement;
    const fp32 = () => screen.getByLabelText('Keep conv1 activations in FP32') as HTMLInputElement;
    expect(bits().getAttribute('aria-disabled')).toBeNull();
    act(() => store.setState({ qat: { status: 'running', progress: null, result: null } }));
    // Locked as aria-disabled (OverrideCells' lockProps): input is ignored, the value snaps back.
    expect(bits().getAttribute('aria-disabled')).toBe('true');
    expect(fp32().getAttribute('aria-disabled')).toBe('true');
    fireEvent.change(bits(), { target: { value: '4' } });
    fireEvent.click(fp32());
    expect(store.getState().config.overrides).toEqual({});
    expect(bits().value).toBe('');
    expect(fp32().checked).toBe(false);
    act(() => store.setState({ qat: { status: 'cancelled', progress: null, result: null } }));
    fireEvent.change(bits(), { target: { value: '4' } });
    expect(bits().getAttribute('aria-disabled')).toBeNull();
    expect(store.getState().config.overrides['conv1']?.weights).toMatchObject({ bits: 4 });
  });
});
