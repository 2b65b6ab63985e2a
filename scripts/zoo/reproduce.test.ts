/**
 * The two smallest zoo models reproduce their index accuracy exactly on WASM, measured from the
 * saved files with the app's own loader and evaluator (the full check is `npm run verify-zoo`).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/engine/backend/node';
import { checkEntry } from './check';
import { readZooIndex } from './indexFile';
import { measureSaved } from './measure';
import { ZOO_SPECS } from './registry';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

describe.each(['spiral', 'mlp'])('zoo model %s', (id) => {
  it('matches its index entry on WASM', async () => {
    const entry = (await readZooIndex())?.models.find((m) => m.id === id);
    if (!entry) throw new Error(`${id} is not in the index`);
    const measured = await measureSaved(id, entry.dataset);
    expect(measured.testCorrect).toBe(entry.testCorrect);
    expect(
      checkEntry(
        entry,
        measured,
        ZOO_SPECS.find((s) => s.id === id),
      ),
    ).toEqual([]);
  });
});
