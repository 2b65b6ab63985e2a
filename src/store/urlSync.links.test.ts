/** A link pasted after another replaces the old link's problems instead of piling them up. */
import { describe, expect, it } from 'vitest';
import { syncedStore } from './testHarness';

describe('URL sync of successive links', () => {
  it("shows only the newest link's problems and keeps other notifications", () => {
    const { store, navigate } = syncedStore('#v=1&n=-5');
    store.getState().notify('info', 'unrelated notice');
    const texts = () => store.getState().notifications.map((n) => n.message);
    expect(texts()).toEqual([expect.stringContaining('"n=-5"'), 'unrelated notice']);
    navigate('#v=1&cal=0&seed=x');
    expect(texts()).toEqual([
      'unrelated notice',
      expect.stringContaining('"cal=0"'),
      expect.stringContaining('"seed=x"'),
    ]);
    navigate('#v=1&model=mlp');
    expect(texts()).toEqual(['unrelated notice']);
  });
});
