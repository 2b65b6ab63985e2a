/**
 * The store's compare and per-layer-override actions: pin the current result as a baseline
 * (store/compare.ts), clear it, and the layer table's override edits (store/overrideEdits.ts).
 * The baseline is page state: it is not written to the share link.
 */
import type { ExperimentConfig } from '@/config/schema';
import { baselineFrom } from './compare';
import { overrideFor, overrideKeys, withOverride } from './overrideEdits';
import type { AppActions, AppState, AppStore } from './types';

export interface CompareContext {
  get(): AppStore;
  set(partial: Partial<AppState>): void;
  setConfig(patch: Partial<ExperimentConfig>): void;
}

export type CompareActions = Pick<
  AppActions,
  'pinBaseline' | 'clearBaseline' | 'setOverrideBits' | 'resetOverride' | 'setSeed'
>;

export const IDLE_COMPARE: Pick<AppState, 'baseline'> = { baseline: null };

export function createCompareActions(ctx: CompareContext): CompareActions {
  const { get, set } = ctx;
  return {
    pinBaseline: () => {
      const r = get().quant.result;
      // Only a finished run: a result still streaming has no accuracy yet.
      if (r && r.stage === 'done') set({ baseline: baselineFrom(r) });
    },
    clearBaseline: () => set({ baseline: null }),
    setOverrideBits: (node, kind, pick) => {
      const config = get().config;
      const choice = overrideFor(config, node, kind, pick);
      ctx.setConfig({ overrides: withOverride(config.overrides, node, kind, choice) });
    },
    resetOverride: (at) => {
      const overrides = { ...get().config.overrides };
      const keys = overrideKeys(overrides, at);
      if (!keys.length) return;
      for (const k of keys) delete overrides[k];
      ctx.setConfig({ overrides });
    },
    setSeed: (seed) => ctx.setConfig({ seed }),
  };
}
