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

/** Quiet time before the hash is rewritten: a moving slider writes it once, when it rests. */
export const REPLACE_DEBOUNCE_MS = 100;
let pendingHash: string | null = null;
let replaceTimer: ReturnType<typeof setTimeout> | null = null;

export const browserUrl: UrlLike = {
  getHash: () => window.location.hash,
  // Debounced (DESIGN.md): Chromium's replaceState costs several ms, which a bit-width slider
  // paid on every step, pushing the live histogram past one animation frame.
  replaceHash: (hash) => {
    pendingHash = `#${hash}`;
    if (replaceTimer) clearTimeout(replaceTimer);
    replaceTimer = setTimeout(() => {
      replaceTimer = null;
      if (pendingHash !== null) window.history.replaceState(null, '', pendingHash);
      pendingHash = null;
    }, REPLACE_DEBOUNCE_MS);
  },
  onHashChange: (listener) => {
    // A link the person typed or pasted wins over a rewrite still waiting.
    const onChange = () => {
      if (replaceTimer) clearTimeout(replaceTimer);
      replaceTimer = null;
      pendingHash = null;
      listener();
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
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
