/**
 * The store's QAT actions (paper section 4): settings into config.qat (the share link), and a
 * training run whose every step and epoch lands in the `qat` slice. Kept apart from
 * createAppStore.ts because a run lives longer than any other job: it can be paused, and a model
 * or backend change has to stop it visibly instead of leaving a stale curve behind.
 */
import type { ExperimentConfig } from '@/config/schema';
import { type EngineHandle, isCancelled } from '@/worker/api';
import { applyQatUpdate } from './qatAssemble';
import type { AppActions, AppState, AppStore } from './types';

export interface QatContext {
  get(): AppStore;
  set(partial: Partial<AppState>): void;
  /** The engine the store talks to now (a backend change replaces it). */
  engine(): EngineHandle | null;
  setConfig(patch: Partial<ExperimentConfig>): void;
}

export type QatActions = Pick<
  AppActions,
  'setQat' | 'startQat' | 'pauseQat' | 'resumeQat' | 'cancelQat'
> & {
  /**
   * Abandons the current run (if any) because something else needs the engine, with a notice
   * that says why; the slice goes back to idle so no stale curve stays on screen.
   */
  abandon(reason: string): void;
};

export const IDLE_QAT: AppState['qat'] = { status: 'idle', progress: null, result: null };

const active = (s: AppState) => s.qat.status === 'running' || s.qat.status === 'paused';

export function createQatActions(ctx: QatContext): QatActions {
  const { get, set } = ctx;
  /** Bumped by every start and abandon: events of an older run are dropped. */
  let run = 0;
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

  return {
    setQat: (patch) => ctx.setConfig({ qat: { ...get().config.qat, ...patch } }),

    startQat: async () => {
      const handle = ctx.engine();
      if (!handle || get().engine.status !== 'ready' || active(get())) return;
      const mine = ++run;
      const current = () => ctx.engine() === handle && mine === run;
      set({ qat: { status: 'running', progress: null, result: null } });
      try {
        const result = await handle.api.qat(get().config, (u) => {
          if (current())
            set({
              qat: {
                ...get().qat,
                progress: u.progress,
                result: applyQatUpdate(get().qat.result, u),
              },
            });
        });
        if (current()) set({ qat: { ...get().qat, status: 'done', result } });
      } catch (e) {
        if (!current()) return;
        if (isCancelled(e)) {
          set({ qat: { ...get().qat, status: 'cancelled' } });
          return;
        }
        set({ qat: { ...get().qat, status: 'failed' } });
        get().notify('error', message(e));
      }
    },

    pauseQat: () => {
      if (get().qat.status !== 'running') return;
      set({ qat: { ...get().qat, status: 'paused' } });
      void ctx.engine()?.api.pauseQat();
    },

    resumeQat: () => {
      if (get().qat.status !== 'paused') return;
      set({ qat: { ...get().qat, status: 'running' } });
      void ctx.engine()?.api.resumeQat();
    },

    // The slice turns 'cancelled' when the engine's promise rejects, i.e. once it has stopped.
    cancelQat: () => {
      if (active(get())) void ctx.engine()?.api.cancelQat();
    },

    abandon: (reason) => {
      if (!active(get())) return;
      run++;
      void ctx.engine()?.api.cancelQat();
      set({ qat: IDLE_QAT });
      get().notify('info', `QAT was cancelled: ${reason}.`);
    },
  };
}
