/**
 * Test-only harness (imported by *.test.ts files alone, so it never reaches the bundle): an app
 * store on fake engines (fakeEngine.ts) and a fake location whose hash a test reads and edits.
 */
import { createAppStore, type StoreOptions } from './createAppStore';
import { createFakeEngineFactory } from './fakeEngine';
import { startUrlSync, type UrlLike } from './urlSync';

/** Lets pending promises and zero-delay timers run. */
export const flush = () => new Promise((r) => setTimeout(r, 0));

/** A store on fake engines; `engines` holds each engine the store started, in order. */
export function fakeStore(options: Omit<StoreOptions, 'createEngine' | 'baseUrl'> = {}) {
  const { factory, engines } = createFakeEngineFactory();
  const store = createAppStore({ createEngine: factory, baseUrl: 'http://x/', ...options });
  return { store, engines };
}

/**
 * A location at the hash `initial` ('#…'): the store rewrites it through `url`, `hash()` reads
 * it, and `navigate` sets it as a person editing the address bar would (a hashchange).
 */
export function fakeUrl(initial: string) {
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
    hash: () => hash,
    navigate: (h: string) => {
      hash = h;
      listener?.();
    },
  };
}

/** A fake-engine store opened at the hash `initial`, kept in sync with it (urlSync.ts). */
export function syncedStore(initial: string) {
  const { store, engines } = fakeStore();
  const { url, hash, navigate } = fakeUrl(initial);
  startUrlSync(store, url);
  return { store, engines, hash, navigate };
}
