import { describe, expect, it } from 'vitest';
import { MAX_MODEL_BYTES } from '@/config/limits';
import { createAppStore } from './createAppStore';
import { createFakeEngineFactory } from './fakeEngine';

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const { factory, engines } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/', autoQuantizeMs: 0 });
  return { store, engines };
}

/** A model pair as the file picker would hand it over (bytes do not matter to the fake). */
const pair = (json = 'model.json') => [
  new File(['{"modelTopology":{}}'], json, { type: 'application/json' }),
  new File([new Uint8Array(8)], 'weights.bin'),
];

/** A started store with mlp selected and its PTQ result on screen. */
async function withMlpResult() {
  const s = setup();
  s.store.getState().setModel('mlp');
  await s.store.getState().startEngine();
  await flush();
  await flush();
  expect(s.store.getState().quant).toMatchObject({ status: 'done', result: { modelId: 'mlp' } });
  return s;
}

describe('uploadModel', () => {
  it('reads the files, lists and selects the card, runs PTQ on it, and says links cannot carry it', async () => {
    const { store, engines } = await withMlpResult();
    const upload = store.getState().uploadModel(pair());
    expect(store.getState().upload).toEqual({
      status: 'validating',
      files: ['model.json', 'weights.bin'],
    });
    await upload;
    expect(engines[0]?.uploads).toEqual([
      [
        { name: 'model.json', bytes: 20 },
        { name: 'weights.bin', bytes: 8 },
      ],
    ]);
    const { models, config, upload: slice, notifications } = store.getState();
    expect(slice.status).toBe('idle');
    expect(models.map((m) => m.id)).toEqual(['mlp', 'cnn', 'custom-1']);
    expect(models.at(-1)).toMatchObject({ title: 'model.json', uploaded: true });
    expect(config.model).toBe('custom-1');
    expect(notifications).toHaveLength(1);
    expect(notifications[0]).toMatchObject({ kind: 'info' });
    expect(notifications[0]?.message).toContain('model=custom-1');
    await flush();
    expect(engines[0]?.quantized.at(-1)?.model).toBe('custom-1');
    expect(store.getState().quant.result?.modelId).toBe('custom-1');
  });

  it('keeps the previous model and its result when the engine refuses the files', async () => {
    const { store, engines } = await withMlpResult();
    const before = store.getState().quant;
    const fake = engines[0];
    if (fake)
      fake.uploadFailure =
        'model.json needs the weight file "weights.bin", which was not provided.';
    await store.getState().uploadModel(pair());
    const s = store.getState();
    expect(s.config.model).toBe('mlp');
    expect(s.models.map((m) => m.id)).toEqual(['mlp', 'cnn']);
    expect(s.quant).toBe(before);
    expect(s.upload.status).toBe('idle');
    expect(s.notifications.map((n) => [n.kind, n.message])).toEqual([
      ['error', 'model.json needs the weight file "weights.bin", which was not provided.'],
    ]);
  });

  it('refuses an oversized set by its sizes, before reading or sending anything', async () => {
    const { store, engines } = await withMlpResult();
    const huge = new File([new Uint8Array(MAX_MODEL_BYTES)], 'weights.bin');
    await store.getState().uploadModel([new File(['{}'], 'model.json'), huge]);
    expect(engines[0]?.uploads).toEqual([]);
    expect(store.getState().config.model).toBe('mlp');
    expect(store.getState().notifications[0]?.message).toBe(
      `The files hold ${MAX_MODEL_BYTES + 2} bytes in all (largest: "weights.bin"); the limit for an uploaded model is ${MAX_MODEL_BYTES} bytes (64 MiB).`,
    );
  });

  it('refuses a second upload while one is validating', async () => {
    const { store, engines } = await withMlpResult();
    const first = store.getState().uploadModel(pair('a.json'));
    await store.getState().uploadModel(pair('b.json'));
    await first;
    expect(engines[0]?.uploads).toHaveLength(1);
    expect(store.getState().notifications[0]?.message).toMatch(/Still validating "a.json"/);
    expect(store.getState().config.model).toBe('custom-1');
  });

  it('gives the uploads to a new worker when the backend changes, keeping their ids', async () => {
    const { store, engines } = await withMlpResult();
    await store.getState().uploadModel(pair());
    store.getState().setBackend('cpu');
    await flush();
    await flush();
    expect(engines).toHaveLength(2);
    expect(engines[1]?.uploads.map((u) => u.map((f) => f.name))).toEqual([
      ['model.json', 'weights.bin'],
    ]);
    expect(store.getState().models.map((m) => m.id)).toEqual(['mlp', 'cnn', 'custom-1']);
    expect(store.getState().config.model).toBe('custom-1');
  });

  it('names an uploaded id that a fresh page (a share link) does not have', async () => {
    const { store } = setup();
    store.getState().setModel('custom-1');
    await store.getState().startEngine();
    expect(store.getState().config.model).toBe('mlp');
    expect(store.getState().notifications.map((n) => n.message)).toEqual([
      'The link names "custom-1", an uploaded model: uploads do not travel in share links, so mlp is shown instead.',
    ]);
  });

  it('waits for the engine before accepting files', async () => {
    const { store, engines } = setup();
    await store.getState().uploadModel(pair());
    expect(engines).toHaveLength(0);
    expect(store.getState().notifications[0]?.message).toMatch(/not ready/);
  });
});
