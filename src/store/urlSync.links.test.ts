/** A link pasted after another replaces the old link's problems instead of piling them up. */
import { describe, expect, it } from 'vitest';
import { createAppStore } from './createAppStore';
import { createFakeEngineFactory } from './fakeEngine';
import { startUrlSync, type UrlLike } from './urlSync';

function fakeUrl(initial: string) {
  let hash = initial;
  let listener: (() => void) | null = null;
  const url: UrlLike = {
    getHash: () => hash,
    replaceHash: (h) => {
      hash = `#${h}`;
    },
    onHashChange: (l) => {
      listener = l;
      return () => (listener = null);
    },
  };
  return {
    url,
    navigate: (h: string) => {
      hash = h;
      listener?.();
    },
  };
}

describe('URL sync of successive links', () => {
  it("shows only the newest link's problems and keeps other notifications", () => {
    const { factory } = createFakeEngineFactory();
    const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/' });
    const u = fakeUrl('#v=1&n=-5');
    startUrlSync(store, u.url);
    store.getState().notify('info', 'unrelated notice');
    const texts = () => store.getState().notifications.map((n) => n.message);
    expect(texts()).toEqual([expect.stringContaining('"n=-5"'), 'unrelated notice']);
    u.navigate('#v=1&cal=0&seed=x');
    expect(texts()).toEqual([
      'unrelated notice',
      expect.stringContaining('"cal=0"'),
      expect.stringContaining('"seed=x"'),
    ]);
    u.navigate('#v=1&model=mlp');
    expect(texts()).toEqual(['unrelated notice']);
  });
});
