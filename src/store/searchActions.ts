/**
 * The store's mixed-precision search: its options (UI state, not in the share link), the
 * streamed result, cancel, and applying a point, which replaces the config with the point's
 * link (per-layer overrides), so the URL and the quantization run follow.
 */
import { decodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { slotChoice } from '@/config/slotSpec';
import { type EngineHandle, isCancelled, type SearchOptions } from '@/worker/api';
import type { AppActions, AppState, AppStore } from './types';

export interface SearchContext {
  get(): AppStore;
  set(partial: Partial<AppState>): void;
  engine(): EngineHandle | null;
}

export type SearchActions = Pick<
  AppActions,
  'runSearch' | 'cancelSearch' | 'setSearchOptions' | 'applySearchPoint'
> & {
  /** The model or the worker changed: drop the result and stop a running search. */
  reset(): void;
};

/** The defaults: 1 point below FP32, weights {8, 4, 2}, activations {8, 4}, BOPs. */
export const DEFAULT_SEARCH_OPTIONS: SearchOptions = {
  budget: 1,
  weightBits: [8, 4, 2],
  activationBits: [8, 4],
  objective: 'bops',
};

export const IDLE_SEARCH: Pick<AppState, 'search'> = {
  search: { status: 'idle', progress: null, result: null, options: DEFAULT_SEARCH_OPTIONS },
};

export function createSearchActions(ctx: SearchContext): SearchActions {
  const { get, set } = ctx;
  let runs = 0;
  const patch = (p: Partial<AppState['search']>) => set({ search: { ...get().search, ...p } });
  return {
    runSearch: async () => {
      const handle = ctx.engine();
      if (!handle || get().engine.status !== 'ready' || get().search.status === 'running') return;
      const mine = ++runs;
      const current = () => mine === runs && ctx.engine() === handle;
      patch({ status: 'running', progress: null, result: null });
      try {
        const result = await handle.api.mixedSearch(get().config, get().search.options, (u) => {
          if (current()) patch({ progress: u.progress, result: u.result });
        });
        if (current()) patch({ status: 'done', result });
      } catch (e) {
        if (!current()) return;
        patch({ status: isCancelled(e) ? 'cancelled' : 'failed' });
        if (!isCancelled(e)) get().notify('error', e instanceof Error ? e.message : String(e));
      }
    },

    cancelSearch: () => {
      if (get().search.status === 'running') void ctx.engine()?.api.cancelSearch();
    },

    setSearchOptions: (options) => patch({ options: { ...get().search.options, ...options } }),

    applySearchPoint: (key) => {
      const point = get().search.result?.points.find((p) => p.key === key);
      if (!point) return;
      const { config } = decodeConfig(point.link);
      get().applyConfig({ ...config, backend: get().config.backend });
    },

    reset: () => {
      if (get().search.status === 'running') {
        runs++;
        void ctx.engine()?.api.cancelSearch();
      }
      patch({ status: 'idle', progress: null, result: null });
    },
  };
}

/**
 * The key (bits per knob, e.g. "8.4.4") the config has in a search's knob order, for marking
 * the current configuration on the chart; null when a knob's slot is in FP32.
 * @example searchKeyOf(config with w.conv1=4, ['w:conv1', 'a:conv1']) === '4.8'
 */
export function searchKeyOf(config: ExperimentConfig, knobs: readonly string[]): string | null {
  const bits = knobs.map((id) => {
    const node = id.slice(2);
    const c = slotChoice(
      config,
      { node, layer: node },
      id.startsWith('w:') ? 'weights' : 'activations',
    );
    return c === 'fp32' ? null : c.bits;
  });
  return bits.includes(null) ? null : bits.join('.');
}
