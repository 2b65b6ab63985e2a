/**
 * The store's live-chart actions: the selected layer (UI state, never in the share link) and
 * its tensors from the worker, the accuracy vs bit-width sweep, and a 2-D model's decision
 * boundaries. A layer's kernel is fetched once per selection and per finished run; the charts
 * then re-quantize it in the page on every slider step, so moving a slider never waits for the
 * worker.
 */
import { type EngineHandle, isCancelled, type QuantResult } from '@/worker/api';
import type { AppActions, AppState, AppStore } from './types';

export interface ChartContext {
  get(): AppStore;
  set(partial: Partial<AppState>): void;
  /** The engine the store talks to now (a backend change replaces it). */
  engine(): EngineHandle | null;
}

export type ChartActions = Pick<
  AppActions,
  'selectLayer' | 'selectChannel' | 'runSweep' | 'cancelSweep'
> & {
  /** After a finished run: refetch the selected layer's tensors and the boundaries. */
  afterRun(result: QuantResult): void;
  /** The model or the worker changed: drop the selection, boundaries and any sweep. */
  reset(): void;
};

export const IDLE_CHARTS: Pick<AppState, 'selectedLayer' | 'layerData' | 'sweep' | 'boundary'> = {
  selectedLayer: null,
  layerData: { channel: null, weights: null, activations: null },
  sweep: { status: 'idle', progress: null, result: null },
  boundary: null,
};

export function createChartActions(ctx: ChartContext): ChartActions {
  const { get, set } = ctx;
  /** Bumped by every selection: answers for an older one are dropped. */
  let fetches = 0;
  let sweeps = 0;
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

  const fetchLayer = (node: string) => {
    const handle = ctx.engine();
    if (!handle || get().engine.status !== 'ready') return;
    const mine = ++fetches;
    const current = () => mine === fetches && ctx.engine() === handle;
    const layerData = (patch: Partial<AppState['layerData']>) =>
      set({ layerData: { ...get().layerData, ...patch } });
    // Charts are extras: a failed fetch leaves the view empty rather than raising an error.
    handle.api.layerWeights(node).then(
      (weights) => {
        if (current()) layerData({ weights });
      },
      () => undefined,
    );
    handle.api.layerActivations(node).then(
      (activations) => {
        if (current()) layerData({ activations });
      },
      () => undefined,
    );
  };

  const fetchBoundary = (result: QuantResult) => {
    const handle = ctx.engine();
    const card = get().models.find((m) => m.id === result.modelId);
    if (!handle || card?.dataset !== 'spiral') {
      if (get().boundary) set({ boundary: null });
      return;
    }
    handle.api.decisionBoundary().then(
      (b) => {
        if (ctx.engine() === handle && b?.link === result.link && b.modelId === result.modelId)
          set({ boundary: b });
      },
      () => undefined,
    );
  };

  return {
    selectLayer: (node) => {
      if (node === get().selectedLayer) return;
      fetches++;
      set({ selectedLayer: node, layerData: IDLE_CHARTS.layerData });
      if (node !== null) fetchLayer(node);
    },

    selectChannel: (channel) => set({ layerData: { ...get().layerData, channel } }),

    afterRun: (result) => {
      const node = get().selectedLayer;
      if (node !== null) {
        if (result.layers.some((l) => l.node === node)) fetchLayer(node);
        else set({ selectedLayer: null, layerData: IDLE_CHARTS.layerData });
      }
      fetchBoundary(result);
    },

    runSweep: async () => {
      const handle = ctx.engine();
      if (!handle || get().engine.status !== 'ready' || get().sweep.status === 'running') return;
      const mine = ++sweeps;
      const current = () => mine === sweeps && ctx.engine() === handle;
      set({ sweep: { status: 'running', progress: null, result: null } });
      try {
        const result = await handle.api.bitSweep(get().config, (u) => {
          if (current()) set({ sweep: { ...get().sweep, progress: u.progress, result: u.result } });
        });
        if (current()) set({ sweep: { ...get().sweep, status: 'done', result } });
      } catch (e) {
        if (!current()) return;
        set({ sweep: { ...get().sweep, status: isCancelled(e) ? 'cancelled' : 'failed' } });
        if (!isCancelled(e)) get().notify('error', message(e));
      }
    },

    cancelSweep: () => {
      if (get().sweep.status === 'running') void ctx.engine()?.api.cancelSweep();
    },

    reset: () => {
      fetches++;
      if (get().sweep.status === 'running') {
        sweeps++;
        void ctx.engine()?.api.cancelSweep();
      }
      set({ ...IDLE_CHARTS });
    },
  };
}
