import { describe, expect, it } from 'vitest';
import { encodeConfig } from '@/config/codec';
import { createAppStore } from './createAppStore';
import { createFakeEngineFactory } from './fakeEngine';
import { FAKE_SEARCH_POINTS } from './fakeSearch';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function ready() {
  const { factory, engines } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
  await store.getState().startEngine();
  const engine = engines[0];
  if (!engine) throw new Error('no engine');
  return { store, engine };
}

describe('mixed-precision search in the store', () => {
  it('streams points, then the result; the options go to the engine with the config', async () => {
    const { store, engine } = await ready();
    store.getState().setSearchOptions({ budget: 2, activationBits: [8] });
    const done = store.getState().runSearch();
    expect(store.getState().search.status).toBe('running');
    expect(engine.searches).toHaveLength(1);
    engine.searchStep();
    engine.searchStep();
    expect(store.getState().search.result?.points.map((p) => p.key)).toEqual(['8.8', '4.8']);
    expect(store.getState().search.progress).toMatchObject({ done: 2, total: 4 });
    for (let i = 0; i < 3; i++) engine.searchStep();
    await done;
    const s = store.getState().search;
    expect(s.status).toBe('done');
    expect(s.result?.options).toMatchObject({
      budget: 2,
      activationBits: [8],
      weightBits: [8, 4, 2],
    });
    expect(s.result?.chosen).toBe('4.8');
  });

  it('applying a point replaces the config with its link (overrides), so the link follows', async () => {
    const { store, engine } = await ready();
    const done = store.getState().runSearch();
    for (let i = 0; i < 5; i++) engine.searchStep();
    await done;
    const before = store.getState().config;
    store.getState().applySearchPoint('4.4');
    const after = store.getState().config;
    expect(after.overrides).toMatchObject({
      conv1: { weights: { bits: 4 }, activations: { bits: 4 } },
    });
    expect(after.backend).toBe(before.backend);
    expect(encodeConfig(after)).toContain('w.conv1=4-sym-pc-minmax');
    expect(FAKE_SEARCH_POINTS.find((p) => p.key === '4.4')?.link).toContain('a.conv1=4-asym');
    store.getState().applySearchPoint('no-such-key'); // ignored
    expect(store.getState().config).toBe(after);
  });

  it('cancel stops it as cancelled with no error; a model change drops the result', async () => {
    const { store, engine } = await ready();
    const done = store.getState().runSearch();
    engine.searchStep();
    store.getState().cancelSearch();
    await done;
    expect(store.getState().search.status).toBe('cancelled');
    expect(store.getState().notifications).toHaveLength(0);
    expect(store.getState().search.result?.points).toHaveLength(1);
    store.getState().setModel('mlp');
    await flush();
    expect(store.getState().search.result).toBeNull();
    expect(store.getState().search.status).toBe('idle');
  });
});
