import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS } from '@/config/defaults';
import { fakeStore, flush, syncedStore } from './testHarness';
import { startUrlSync } from './urlSync';

describe('app store', () => {
  it('starts the engine and lists the zoo', async () => {
    const { store, engines } = fakeStore();
    await store.getState().startEngine();
    expect(engines[0]?.starts).toEqual(['auto']);
    expect(store.getState().engine).toMatchObject({ status: 'ready', info: { backend: 'wasm' } });
    expect(store.getState().models.map((m) => m.id)).toEqual(['mlp', 'cnn']);
  });

  it('writes progress, then the result, of an evaluation', async () => {
    const { store, engines } = fakeStore();
    await store.getState().startEngine();
    const done = store.getState().evaluate();
    await flush();
    expect(store.getState().run).toMatchObject({
      status: 'running',
      progress: { done: 2, total: 4 },
    });
    engines[0]?.finishEval();
    await done;
    expect(store.getState().run).toMatchObject({
      status: 'done',
      result: { modelId: 'cnn', accuracy: 0.75 },
    });
  });

  it('marks a cancelled run as cancelled, not failed', async () => {
    const { store } = fakeStore();
    await store.getState().startEngine();
    const done = store.getState().evaluate();
    store.getState().cancel();
    await done;
    expect(store.getState().run.status).toBe('cancelled');
    expect(store.getState().notifications).toEqual([]);
  });

  it('restarts on a new worker when the backend is forced', async () => {
    const { store, engines } = fakeStore();
    await store.getState().startEngine();
    store.getState().setBackend('cpu');
    await flush();
    expect(engines).toHaveLength(2);
    expect(engines[0]?.terminated).toBe(1);
    expect(engines[1]?.starts).toEqual(['cpu']);
  });

  it('falls back to WASM with a visible notice when the device is lost', async () => {
    const { store, engines } = fakeStore();
    store.getState().setBackend('webgpu');
    await store.getState().startEngine();
    engines.at(-1)?.loseDevice('GPU hung');
    await flush();
    expect(engines.at(-1)?.starts).toEqual(['wasm']);
    expect(store.getState().notifications[0]?.message).toMatch(
      /webgpu device was lost \(GPU hung\); switched to WASM/,
    );
  });

  it('notifies an unknown model id and falls back to the first model', async () => {
    const { store } = fakeStore();
    store.getState().setModel('nope');
    await store.getState().startEngine();
    expect(store.getState().config.model).toBe('mlp');
    expect(store.getState().notifications[0]?.message).toContain('"nope"');
  });
});

describe('URL sync', () => {
  it('applies a link, then writes config changes back to the hash', () => {
    const { store, hash } = syncedStore('#v=1&model=mlp&n=16');
    expect(store.getState().config).toMatchObject({ model: 'mlp', evalLimit: 16 });
    store.getState().setModel('cnn');
    expect(hash()).toBe('#v=1&n=16');
  });

  it('reports each bad key of an edited link and keeps the app usable', () => {
    const { store, hash, navigate } = syncedStore('#v=1');
    navigate('#v=1&model=<img src=x onerror=alert(1)>&backend=tpu');
    const messages = store.getState().notifications.map((n) => n.message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('model=<img src=x onerror=alert(1)>');
    expect(messages[1]).toContain('backend=tpu');
    expect(store.getState().config.model).toBe('cnn');
    expect(hash()).toBe('#v=1');
  });
});

describe('quantization actions', () => {
  it('edits the global quantizers and per-layer overrides', () => {
    const { store } = fakeStore();
    store.getState().patchQuantizer('weights', { bits: 4 });
    store.getState().setOverride('conv1', 'activations', 'fp32');
    const c = store.getState().config;
    expect(c.weights).toMatchObject({ bits: 4, scheme: 'symmetric', granularity: 'per-channel' });
    expect(c.overrides).toEqual({ conv1: { activations: 'fp32' } });
    store.getState().setOverride('conv1', 'activations', undefined);
    expect(store.getState().config.overrides).toEqual({});
  });

  it('streams a quantization result into the store', async () => {
    const { store, engines } = fakeStore();
    await store.getState().startEngine();
    store.getState().patchQuantizer('weights', { bits: 4 });
    await store.getState().quantize({ sensitivity: true });
    expect(engines[0]?.quantized[0]?.weights).toMatchObject({ bits: 4 });
    expect(store.getState().quant).toMatchObject({
      status: 'done',
      sensitivity: true,
      result: { quantAccuracy: 0.5, layers: [{ sensitivity: { accuracy: 0.7 } }] },
    });
    expect(await store.getState().encodingsJson()).toContain('0.6.1');
  });

  it('re-runs automatically, once, after a burst of changes', async () => {
    const { store, engines } = fakeStore({ autoQuantizeMs: 5 });
    await store.getState().startEngine();
    await new Promise((r) => setTimeout(r, 20));
    expect(engines[0]?.quantized).toHaveLength(1);
    for (const bits of [7, 6, 5, 4]) store.getState().patchQuantizer('weights', { bits });
    await new Promise((r) => setTimeout(r, 20));
    expect(engines[0]?.quantized.map((c) => (c.weights === 'fp32' ? 0 : c.weights.bits))).toEqual([
      8, 4,
    ]);
  });

  it('applies the standard PTQ pipeline per model: CLE only where depthwise layers are', async () => {
    const { store } = fakeStore();
    await store.getState().startEngine();
    store.getState().applyStandardPtq();
    expect(store.getState().config.ptq).toMatchObject({ cle: false, biasCorrection: 'empirical' });
    expect(store.getState().config.weights).toMatchObject({ range: 'mse', scheme: 'symmetric' });
    store.getState().setPtq({ adaround: 0 });
    expect(store.getState().config.ptq.adaround).toBe(0);
    store.getState().setQuantizer('weights', {
      ...DEFAULT_WEIGHTS,
      granularity: 'per-tensor',
    });
    store.getState().applyStandardPtq();
    expect(store.getState().config.ptq).toMatchObject({ cle: true, biasAbsorption: true });
  });

  it('runs the debugging flow and keeps its report', async () => {
    const { store } = fakeStore();
    await store.getState().startEngine();
    await store.getState().runDebug();
    expect(store.getState().debug).toMatchObject({
      status: 'done',
      progress: { phase: 'Weights only' },
      report: { culprit: 'weights' },
    });
  });
});

describe('QAT actions', () => {
  async function ready(options: { autoQuantizeMs?: number } = {}) {
    const { store, engines } = fakeStore(options);
    await store.getState().startEngine();
    const engine = engines[0];
    if (!engine) throw new Error('no engine');
    return { store, engine, engines };
  }

  it('streams steps and epochs into the qat slice, then the final result', async () => {
    const { store, engine } = await ready();
    store.getState().setQat({ epochs: 1, batchSize: 32 });
    const done = store.getState().startQat();
    expect(engine.trained[0]?.qat).toMatchObject({ epochs: 1, batchSize: 32 });
    expect(store.getState().qat).toMatchObject({
      status: 'running',
      result: { ptqAccuracy: 0.5, steps: [] },
    });
    engine.qatStep();
    engine.qatStep();
    expect(store.getState().qat.result?.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(store.getState().qat.progress).toMatchObject({ done: 2, total: 4 });
    engine.finishQat();
    await done;
    expect(store.getState().qat).toMatchObject({
      status: 'done',
      result: { accuracy: 0.7, epochs: [{ epoch: 0 }, { epoch: 1, testAccuracy: 0.7 }] },
    });
  });

  it('pauses, resumes and cancels through the engine', async () => {
    const { store, engine } = await ready();
    const done = store.getState().startQat();
    store.getState().resumeQat(); // not paused: nothing to resume
    store.getState().pauseQat();
    expect(store.getState().qat.status).toBe('paused');
    engine.qatStep(); // a step already in flight still lands
    expect(store.getState().qat).toMatchObject({ status: 'paused', result: { steps: [{}] } });
    store.getState().resumeQat();
    expect(store.getState().qat.status).toBe('running');
    store.getState().pauseQat();
    store.getState().cancelQat();
    await done;
    expect(engine.qatCalls).toEqual(['pause', 'resume', 'pause', 'cancel']);
    expect(store.getState().qat.status).toBe('cancelled');
    expect(store.getState().notifications).toEqual([]);
  });

  it('changes the share link, but not the PTQ result, when only QAT settings change', async () => {
    const { store, engine } = await ready({ autoQuantizeMs: 1 });
    const u = { hash: '' };
    startUrlSync(store, {
      getHash: () => u.hash,
      replaceHash: (h) => (u.hash = `#${h}`),
      onHashChange: () => () => undefined,
    });
    await new Promise((r) => setTimeout(r, 10));
    const runs = engine.quantized.length;
    store.getState().setQat({ epochs: 1, batchSize: 32, learningRate: 0.001, trainLimit: 640 });
    expect(u.hash).toContain('qat=1ep-b32-adam0.001-t640');
    store.getState().applyConfig({ ...store.getState().config }); // the same link again
    await new Promise((r) => setTimeout(r, 10));
    expect(engine.quantized).toHaveLength(runs);
    store.getState().patchQuantizer('weights', { bits: 4 });
    await new Promise((r) => setTimeout(r, 10));
    expect(engine.quantized).toHaveLength(runs + 1);
  });

  it('shows an engine QAT error in the banner', async () => {
    const { store, engine } = await ready();
    engine.qatFailure =
      'QAT cannot start: keeping BN during QAT needs per-channel weights (paper 4.2).';
    store.getState().setQat({ bn: 'keep' });
    await store.getState().startQat();
    expect(store.getState().qat.status).toBe('failed');
    expect(store.getState().notifications[0]).toMatchObject({
      kind: 'error',
      message: expect.stringContaining('needs per-channel weights'),
    });
  });

  it('cancels a running QAT, with a notice, when the model or backend changes', async () => {
    const { store, engine, engines } = await ready();
    void store.getState().startQat();
    engine.qatStep();
    store.getState().setModel('mlp');
    await flush();
    expect(store.getState().qat).toMatchObject({ status: 'idle', result: null });
    expect(store.getState().notifications.at(-1)).toMatchObject({
      kind: 'info',
      message: 'QAT was cancelled: the model changed to mlp.',
    });
    void store.getState().startQat();
    store.getState().setBackend('cpu');
    await flush();
    expect(engines).toHaveLength(2);
    expect(store.getState().qat.status).toBe('idle');
    expect(store.getState().notifications.at(-1)?.message).toContain('another backend');
  });
});
