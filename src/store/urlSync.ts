/**
 * Keeps the URL hash and the config in step: config changes rewrite the hash (replaceState, so
 * the back button is not flooded); a pasted or edited link is decoded through config/codec.ts,
 * its problems shown as notifications, and the good values applied.
 */
import type { StoreApi } from 'zustand/vanilla';
import { decodeConfig, decodeLessonKeys, encodeConfig, encodeLessonKeys } from '@/config/codec';
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
    // A hash set after this call (typed, pasted, or set by a script) whose hashchange event is
    // still queued must not be overwritten: found by e2e/hostile-links.spec.ts.
    const seen = window.location.hash;
    replaceTimer = setTimeout(() => {
      replaceTimer = null;
      if (pendingHash !== null && window.location.hash === seen)
        window.history.replaceState(null, '', pendingHash);
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
  // The open lesson and presenter mode ride beside the experiment (docs/lessons.md).
  const hashOf = (state: AppStore) => encodeConfig(state.config) + encodeLessonKeys(state.lesson);
  /** The notifications the last applied link raised. */
  let shown = new Set<number>();
  const apply = () => {
    const lesson = decodeLessonKeys(url.getHash());
    const { config, problems } = decodeConfig(lesson.lessonLink ?? url.getHash());
    // A new link's problems replace the previous link's, which described a link that is gone
    // (a person pasting link after link must not pile up stale errors).
    for (const id of shown) store.getState().dismiss(id);
    const before = new Set(store.getState().notifications.map((n) => n.id));
    for (const p of [...lesson.problems, ...problems]) store.getState().notify('error', p.message);
    shown = new Set(
      store
        .getState()
        .notifications.map((n) => n.id)
        .filter((id) => !before.has(id)),
    );
    store.getState().setLessonKeys(lesson.keys);
    store.getState().applyConfig(config);
    url.replaceHash(hashOf(store.getState()));
  };
  apply();
  const unsubscribe = store.subscribe((state, prev) => {
    if (state.config !== prev.config || state.lesson !== prev.lesson)
      url.replaceHash(hashOf(state));
  });
  const stopListening = url.onHashChange(apply);
  return () => {
    unsubscribe();
    stopListening();
  };
}
