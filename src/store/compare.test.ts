import { describe, expect, it } from 'vitest';
import { encodeConfig } from '@/config/codec';
import { DEFAULT_WEIGHTS } from '@/config/defaults';
import { compareRows, comparable, delta } from './compare';
import { createAppStore } from './createAppStore';
import { createFakeEngineFactory } from './fakeEngine';
import { followGlobal } from './overrideEdits';
import { startUrlSync } from './urlSync';

async function ready() {
  const { factory, engines } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
  await store.getState().startEngine();
  return { store, engines };
}

describe('compare deltas', () => {
  it('is current minus baseline; missing sides give null, two infinities 0', () => {
    expect(delta(24.5, 48.25)).toBe(-23.75);
    expect(delta(null, 3)).toBeNull();
    expect(delta(3, null)).toBeNull();
    expect(delta(Infinity, Infinity)).toBe(0);
    expect(delta(Infinity, 40)).toBe(Infinity);
  });

  it('pins a finished run; 8 → 4 weight bits shows the SQNR and accuracy drop', async () => {
    const { store } = await ready();
    store.getState().pinBaseline();
    expect(store.getState().baseline).toBeNull(); // nothing to pin before a run
    await store.getState().quantize({ sensitivity: true });
    store.getState().pinBaseline();
    const base = store.getState().baseline;
    // The fake engine reports 6 dB per weight bit (paper 2.2's rule of thumb).
    expect(base).toMatchObject({ modelId: 'cnn', quantAccuracy: 0.75, link: 'v=1' });
    expect(base?.layers[0]).toMatchObject({ node: 'conv1', weightSqnrDb: 48, sensitivity: 0.7 });

    store.getState().patchQuantizer('weights', { bits: 4 });
    await store.getState().quantize();
    const r = store.getState().quant.result;
    expect(comparable(base, r)).toBe(true);
    if (!base || !r) throw new Error('no result');
    const [row] = compareRows(base, r.layers);
    expect(row).toMatchObject({
      node: 'conv1',
      weightSqnrDelta: 24 - 48,
      activationSqnrDelta: 0,
      sensitivityDelta: null, // not measured in the 4-bit run
    });
    expect(delta(r.quantAccuracy, base.quantAccuracy)).toBe(0.5 - 0.75);
    // The baseline stays as pinned when the current result moves on.
    expect(store.getState().baseline).toBe(base);
    store.getState().clearBaseline();
    expect(store.getState().baseline).toBeNull();
  });

  it('does not compare layers across models', async () => {
    const { store } = await ready();
    await store.getState().quantize();
    store.getState().pinBaseline();
    store.getState().setModel('mlp');
    await store.getState().quantize();
    expect(comparable(store.getState().baseline, store.getState().quant.result)).toBe(false);
  });
});

describe('per-layer overrides from the table', () => {
  it('a bit pick keeps the global scheme, reaches the link and the run; FP32 and reset', async () => {
    const { store, engines } = await ready();
    let hash = '';
    startUrlSync(store, {
      getHash: () => '#v=1&n=200',
      replaceHash: (h) => (hash = h),
      onHashChange: () => () => undefined,
    });
    const s = () => store.getState();
    s().setOverrideBits('conv1', 'weights', 2);
    expect(s().config.overrides).toEqual({ conv1: { weights: { ...DEFAULT_WEIGHTS, bits: 2 } } });
    expect(hash).toBe('v=1&n=200&w.conv1=2-sym-pc-minmax');
    s().setOverrideBits('conv1', 'activations', 'fp32');
    expect(hash).toBe('v=1&n=200&w.conv1=2-sym-pc-minmax&a.conv1=fp32');
    await s().quantize();
    expect(engines[0]?.quantized.at(-1)?.overrides).toEqual(s().config.overrides);

    // A global scheme change carries the table's override along, at its own bits.
    s().patchQuantizer('weights', { scheme: 'asymmetric' });
    expect(hash).toBe('v=1&n=200&w=8-asym-pc-minmax&w.conv1=2-asym-pc-minmax&a.conv1=fp32');
    // ... and a bits pick on an existing override keeps that override's scheme.
    s().setOverrideBits('conv1', 'weights', 5);
    expect(hash).toContain('w.conv1=5-asym-pc-minmax');

    s().setOverrideBits('conv1', 'weights', null);
    expect(hash).toBe('v=1&n=200&w=8-asym-pc-minmax&a.conv1=fp32');
    s().resetOverride({ node: 'conv1', layer: 'conv1' });
    expect(s().config.overrides).toEqual({});
    expect(hash).toBe('v=1&n=200&w=8-asym-pc-minmax');
  });

  it('reset removes a row override written by Keras layer name too', async () => {
    const { store } = await ready();
    store.getState().setOverride('conv1_bn', 'weights', 'fp32');
    store.getState().setOverrideBits('conv1', 'weights', 3);
    store.getState().resetOverride({ node: 'conv1', layer: 'conv1_bn' });
    expect(store.getState().config.overrides).toEqual({});
    expect(encodeConfig(store.getState().config)).toBe('v=1');
  });

  it('a hand-written override that differs in more than bits does not follow the global', () => {
    const own = { ...DEFAULT_WEIGHTS, bits: 4, range: 'mse' as const };
    const tableMade = { ...DEFAULT_WEIGHTS, bits: 3 };
    const overrides = {
      a: { weights: own },
      b: { weights: tableMade },
      c: { weights: 'fp32' as const },
    };
    const next = { ...DEFAULT_WEIGHTS, granularity: 'per-tensor' as const };
    const out = followGlobal(overrides, 'weights', DEFAULT_WEIGHTS, next);
    expect(out['a']?.weights).toBe(own);
    expect(out['b']?.weights).toEqual({ ...next, bits: 3 });
    expect(out['c']?.weights).toBe('fp32');
    // A bits-only global edit moves nothing.
    expect(
      followGlobal(overrides, 'weights', DEFAULT_WEIGHTS, { ...DEFAULT_WEIGHTS, bits: 6 }),
    ).toBe(overrides);
  });

  it('hidden groups change the link but do not re-run quantization', async () => {
    const { factory, engines } = createFakeEngineFactory();
    const store = createAppStore({
      createEngine: factory,
      baseUrl: 'http://x/',
      autoQuantizeMs: 0,
    });
    await store.getState().startEngine();
    await new Promise((r) => setTimeout(r, 5));
    const runs = engines[0]?.quantized.length ?? 0;
    store.getState().applyConfig({ ...store.getState().config, hide: ['ptq', 'qat'] });
    await new Promise((r) => setTimeout(r, 5));
    expect(engines[0]?.quantized.length).toBe(runs);
    expect(encodeConfig(store.getState().config)).toBe('v=1&hide=ptq,qat');
    store.getState().setSeed(7);
    await new Promise((r) => setTimeout(r, 5));
    expect(engines[0]?.quantized.length).toBe(runs + 1);
  });
});
