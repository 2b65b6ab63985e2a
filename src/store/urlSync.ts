/**
 * Keeps the URL hash and the config in step: config changes rewrite the hash (replaceState, so
 * the back button is not flooded); a pasted or edited link is decoded through config/codec.ts,
 * its problems shown as notifications, and the good values applied.
 */
import type { StoreApi } from 'zustand/vanilla';
import { decodeConfig, encodeConfig } from '@/config/codec';
import type { AppStore } from './types';

export interface UrlLike {
  getHash(): string;
  replaceHash(hash: string): void;
  onHashChange(listener: () => void): () => void;
}

export const browserUrl: UrlLike = {
  getHash: () => window.location.hash,
  replaceHash: (hash) => window.history.replaceState(null, '', `#${hash}`),
  onHashChange: (listener) => {
    window.addEventListener('hashchange', listener);
    return () => window.removeEventListener('hashchange', listener);
  },
};

/** Reads the initial config from the URL (reporting problems) and starts syncing. */
export function startUrlSync(store: StoreApi<AppStore>, url: UrlLike = browserUrl): () => void {
  const apply = () => {
    const { config, problems } = decodeConfig(url.getHash());
    for (const p of problems) store.getState().notify('error', p.message);
    store.getState().applyConfig(config);
    url.replaceHash(encodeConfig(store.getState().config));
  };
  apply();
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.config !== prev.config) url.replaceHash(encodeConfig(state.config));
  });
  const stopListening = url.onHashChange(apply);
  return () => {
    unsubscribe();
    stopListening();
  };
}
