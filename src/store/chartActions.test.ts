import { describe, expect, it } from 'vitest';
import { createAppStore } from './createAppStore';
import { createFakeEngineFactory, FAKE_SWEEP } from './fakeEngine';

const flush = () => new Promise((r) => setTimeout(r, 0));

async function ready() {
  const { factory, engines } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
  await store.getState().startEngine();
  const engine = engines[0];
  if (!engine) throw new Error('no engine');
  return { store, engine, engines };
}

describe('live charts: the selected layer', () => {
  it('selecting a layer fetches its kernel and activation sample once', async () => {
    const { store, engine } = await ready();
    store.getState().selectLayer('conv1');
    expect(store.getState().selectedLayer).toBe('conv1');
    await flush();
    const { weights, activations } = store.getState().layerData;
    expect(weights).toMatchObject({ node: 'conv1', channels: 2, shape: [4, 2] });
    expect(activations?.values.length).toBe(5);
    expect(engine.layerCalls).toEqual(['conv1', 'conv1:activations']);
    store.getState().selectLayer('conv1'); // the same row again: nothing to fetch
    expect(engine.layerCalls).toHaveLength(2);
  });

  it('is UI state: the config and the share link do not change', async () => {
    const { store } = await ready();
    const config = store.getState().config;
    store.getState().selectLayer('conv1');
    store.getState().selectChannel(1);
    expect(store.getState().config).toBe(config);
    expect(store.getState().layerData.channel).toBe(1);
  });

  it('a finished run refetches the selection; a model change clears it', async () => {
    const { store, engine } = await ready();
    store.getState().selectLayer('conv1');
    await flush();
    await store.getState().quantize();
    await flush();
    expect(engine.layerCalls.filter((c) => c === 'conv1')).toHaveLength(2);
    store.getState().setModel('mlp');
    expect(store.getState().selectedLayer).toBeNull();
    expect(store.getState().layerData.weights).toBeNull();
  });

  it('drops the answer for an older selection', async () => {
    const { store } = await ready();
    const seen: (string | undefined)[] = [];
    store.subscribe((s) => seen.push(s.layerData.weights?.node));
    store.getState().selectLayer('conv1');
    store.getState().selectLayer('dense'); // before conv1's answer arrives
    await flush();
    expect(store.getState().selectedLayer).toBe('dense');
    expect(seen).not.toContain('conv1');
  });
});

describe('live charts: the bit-width sweep', () => {
  it('streams points as they finish, then is done', async () => {
    const { store, engine } = await ready();
    const done = store.getState().runSweep();
    await flush();
    expect(store.getState().sweep.status).toBe('running');
    expect(engine.sweeps[0]).toBe(store.getState().config);
    engine.sweepStep();
    engine.sweepStep();
    expect(store.getState().sweep.result?.points.map((p) => `${p.kind}${p.bits}`)).toEqual([
      'weights8',
      'weights7',
    ]);
    expect(store.getState().sweep.progress).toMatchObject({ done: 2, total: 14 });
    for (let i = 2; i < FAKE_SWEEP.length; i++) engine.sweepStep();
    await done;
    expect(store.getState().sweep.status).toBe('done');
    expect(store.getState().sweep.result?.points).toHaveLength(14);
  });

  it('can be cancelled, and a second start while running is ignored', async () => {
    const { store, engine } = await ready();
    const done = store.getState().runSweep();
    await flush();
    void store.getState().runSweep();
    expect(engine.sweeps).toHaveLength(1);
    engine.sweepStep();
    store.getState().cancelSweep();
    await done;
    expect(store.getState().sweep.status).toBe('cancelled');
    expect(store.getState().sweep.result?.points).toHaveLength(1); // what finished stays
    expect(store.getState().notifications).toEqual([]);
  });

  it('a model change stops a running sweep and clears it', async () => {
    const { store } = await ready();
    const done = store.getState().runSweep();
    await flush();
    store.getState().setModel('mlp');
    await done;
    expect(store.getState().sweep.status).toBe('idle');
  });
});
