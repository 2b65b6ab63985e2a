/**
 * The app's single vanilla zustand store: config, engine status, zoo, run results and
 * notifications, with the actions that drive the engine worker. A factory, so each test and
 * each page gets its own.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { DEFAULT_CONFIG } from '@/config/defaults';
import { encodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { playgroundError } from '@/config/errors';
import { type EngineHandle, isCancelled } from '@/worker/api';
import { jobNames, runningJobs, stoppedSlices } from './faults';
import { createQatActions, IDLE_QAT } from './qatActions';
import { createUploadActions, IDLE_UPLOAD } from './uploadActions';
import { createChartActions, IDLE_CHARTS } from './chartActions';
import { createSearchActions, IDLE_SEARCH } from './searchActions';
import { createCompareActions, IDLE_COMPARE } from './compareActions';
import { createLessonActions, IDLE_LESSON } from './lessonActions';
import { createSettingsActions } from './settingsActions';
import type { AppState, AppStore, EngineFactory } from './types';

export interface StoreOptions {
  createEngine: EngineFactory;
  /** Site root URL the worker loads models and data from. */
  baseUrl: string;
  initialConfig?: ExperimentConfig;
  /** Re-run quantization this many ms after the config settles; null = only on request. */
  autoQuantizeMs?: number | null;
}

export function createAppStore(options: StoreOptions): StoreApi<AppStore> {
  let engine: EngineHandle | null = null;
  let nextNotification = 1;

  const initial: AppState = {
    config: options.initialConfig ?? { ...DEFAULT_CONFIG },
    engine: { status: 'starting', info: null },
    models: [],
    run: { status: 'idle', progress: null, result: null },
    quant: { status: 'idle', progress: null, result: null, sensitivity: false },
    debug: { status: 'idle', progress: null, report: null },
    qat: IDLE_QAT,
    upload: IDLE_UPLOAD,
    ...IDLE_CHARTS,
    ...IDLE_SEARCH,
    ...IDLE_COMPARE,
    ...IDLE_LESSON,
    notifications: [],
  };
  let quantTimer: ReturnType<typeof setTimeout> | null = null;
  let quantRun = 0;

  /** What a PTQ run reads: the config without its QAT settings, which only QAT uses. */
  // Hidden control groups are view only: they never change a run either.
  const ptqInputs = (c: ExperimentConfig) =>
    encodeConfig({ ...c, qat: DEFAULT_CONFIG.qat, hide: [] });

  return createStore<AppStore>()((set, get) => {
    const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

    const startEngine = async (
      backendOverride?: ExperimentConfig['backend'],
      reason = 'the engine restarted on another backend',
    ) => {
      qat.abandon(reason);
      charts.reset(); // the new worker has no prepared model, boundary or sweep
      search.reset();
      engine?.terminate();
      const handle = options.createEngine();
      engine = handle;
      handle.onCrash?.((detail) => onCrash(handle, detail));
      set({
        engine: { status: 'starting', info: null },
        run: { status: 'idle', progress: null, result: null },
      });
      try {
        const info = await handle.api.start(
          backendOverride ?? get().config.backend,
          options.baseUrl,
          (detail) => void onDeviceLost(handle, detail),
        );
        if (engine !== handle) return;
        const zoo = await handle.api.listModels();
        const models = [...zoo, ...(await upload.restore(handle))];
        if (engine !== handle) return;
        set({ engine: { status: 'ready', info }, models });
        if (!models.some((m) => m.id === get().config.model)) {
          get().notify('error', upload.missingModel(get().config.model, String(models[0]?.id)));
          if (models[0]) set({ config: { ...get().config, model: models[0].id } });
        }
        scheduleQuantize();
      } catch (e) {
        if (engine !== handle) return;
        set({ engine: { status: 'failed', info: null } });
        get().notify('error', `The engine could not start: ${message(e)}`);
      }
    };

    /** Device loss (issue 9): a WASM worker takes over and runs the interrupted jobs again. */
    const onDeviceLost = async (handle: EngineHandle, detail: string) => {
      if (engine !== handle) return;
      const backend = get().engine.info?.backend ?? 'webgpu';
      const jobs = runningJobs(get());
      get().notify('error', playgroundError('BACKEND_LOST', { backend, detail }).message);
      await startEngine('wasm', `the ${backend} device was lost`);
      if (get().engine.status !== 'ready' || !jobNames(jobs)) return;
      get().notify('info', playgroundError('BACKEND_LOST_RERUN', { jobs: jobNames(jobs) }).message);
      if (jobs.quantize && quantTimer) clearTimeout(quantTimer);
      if (jobs.evaluate) void get().evaluate();
      if (jobs.quantize) void get().quantize(jobs.quantize);
      if (jobs.debug) void get().runDebug();
      if (jobs.qat) void get().startQat();
      if (jobs.sweep) void get().runSweep();
    };

    /** A crashed worker (issue 9): say so, mark its jobs failed, start a fresh one. */
    const onCrash = (handle: EngineHandle, detail: string) => {
      if (engine !== handle) return;
      // A worker that dies while starting would die again: no restart loop. Its pending start
      // rejects, and startEngine reports "The engine could not start: …".
      if (get().engine.status === 'starting') return;
      const jobs = runningJobs(get());
      void startEngine(undefined, 'the engine worker crashed');
      set(stoppedSlices(get(), jobs));
      const text = playgroundError('WORKER_CRASHED', { detail, jobs: jobNames(jobs) }).message;
      get().notify('error', text);
    };

    /** Debounced re-run, so a moving slider does not queue a run per step. */
    const scheduleQuantize = () => {
      const delay = options.autoQuantizeMs;
      if (delay === null || delay === undefined || get().engine.status !== 'ready') return;
      if (quantTimer) clearTimeout(quantTimer);
      quantTimer = setTimeout(() => {
        quantTimer = null;
        void get().quantize();
      }, delay);
    };

    const setConfig = (patch: Partial<ExperimentConfig>) => {
      const previous = get().config;
      const modelChanged = patch.model !== undefined && patch.model !== previous.model;
      const evalChanged =
        modelChanged || (patch.evalLimit !== undefined && patch.evalLimit !== previous.evalLimit);
      // Chosen over blocking the zoo: switching models stops the training, and says so.
      if (modelChanged) qat.abandon(`the model changed to ${patch.model}`);
      set({
        config: { ...previous, ...patch },
        run: evalChanged ? { status: 'idle', progress: null, result: null } : get().run,
      });
      if (modelChanged)
        set({ quant: { status: 'idle', progress: null, result: null, sensitivity: false } });
      if (modelChanged) charts.reset();
      if (modelChanged) search.reset();
      // QAT settings (and no-op edits) leave the PTQ result as it is: QAT runs only on request.
      if (ptqInputs(get().config) !== ptqInputs(previous)) scheduleQuantize();
    };

    const qat = createQatActions({ get, set, engine: () => engine, setConfig });
    const upload = createUploadActions({ get, set, engine: () => engine });
    const charts = createChartActions({ get, set, engine: () => engine });
    const search = createSearchActions({ get, set, engine: () => engine });
    const compare = createCompareActions({ get, set, setConfig });
    const lessons = createLessonActions({ get, set });
    const settings = createSettingsActions({ get, setConfig });

    return {
      ...initial,
      startEngine: () => startEngine(),
      setModel: (id) => {
        if (id === get().config.model) return;
        void engine?.api.cancel();
        setConfig({ model: id });
      },
      uploadModel: upload.uploadModel,
      selectLayer: charts.selectLayer,
      selectChannel: charts.selectChannel,
      runSweep: charts.runSweep,
      cancelSweep: charts.cancelSweep,
      runSearch: search.runSearch,
      cancelSearch: search.cancelSearch,
      setSearchOptions: search.setSearchOptions,
      applySearchPoint: search.applySearchPoint,
      setBackend: (backend) => {
        if (backend === get().config.backend) return;
        setConfig({ backend });
        void startEngine();
      },
      setEvalLimit: (evalLimit) => setConfig({ evalLimit }),
      applyConfig: (config) => {
        const backendChanged = config.backend !== get().config.backend;
        setConfig(config);
        if (backendChanged && engine) void startEngine();
      },
      evaluate: async () => {
        const handle = engine;
        if (!handle || get().engine.status !== 'ready') return;
        const { model, evalLimit } = get().config;
        set({ run: { status: 'running', progress: null, result: null } });
        try {
          const req =
            evalLimit === null ? { modelId: model } : { modelId: model, limit: evalLimit };
          const result = await handle.api.evaluateFp32(req, (progress) => {
            if (engine === handle && get().run.status === 'running')
              set({ run: { ...get().run, progress } });
          });
          if (engine !== handle || get().config.model !== model) return;
          set({ run: { status: 'done', progress: get().run.progress, result } });
        } catch (e) {
          // A job overtaken by a new worker or another model is not the user's problem.
          if (engine !== handle || get().config.model !== model) return;
          if (isCancelled(e)) {
            if (get().run.status === 'running') set({ run: { ...get().run, status: 'cancelled' } });
            return;
          }
          set({ run: { ...get().run, status: 'failed' } });
          get().notify('error', message(e));
        }
      },
      cancel: () => {
        void engine?.api.cancel();
      },
      setQat: qat.setQat,
      startQat: qat.startQat,
      pauseQat: qat.pauseQat,
      resumeQat: qat.resumeQat,
      cancelQat: qat.cancelQat,
      ...compare,
      ...lessons,
      ...settings,
      quantize: async ({ sensitivity = false } = {}) => {
        const handle = engine;
        if (!handle || get().engine.status !== 'ready') return;
        const run = ++quantRun;
        const config = get().config;
        const current = () => engine === handle && run === quantRun;
        set({ quant: { ...get().quant, status: 'running', progress: null, sensitivity } });
        try {
          const result = await handle.api.quantize(config, { sensitivity }, (u) => {
            if (current())
              set({ quant: { ...get().quant, progress: u.progress, result: u.result } });
          });
          if (current()) {
            set({ quant: { ...get().quant, status: 'done', result } });
            charts.afterRun(result);
          }
        } catch (e) {
          if (!current()) return;
          if (isCancelled(e)) {
            set({ quant: { ...get().quant, status: 'cancelled' } });
            return;
          }
          set({ quant: { ...get().quant, status: 'failed' } });
          get().notify('error', message(e));
        }
      },
      runDebug: async () => {
        const handle = engine;
        if (!handle || get().engine.status !== 'ready') return;
        // Shares the engine's quantization generation: it cancels a running quantization.
        const run = ++quantRun;
        const current = () => engine === handle && run === quantRun;
        set({ debug: { status: 'running', progress: null, report: null } });
        try {
          const report = await handle.api.debugFlow(get().config, (progress) => {
            if (current()) set({ debug: { ...get().debug, progress } });
          });
          if (current()) set({ debug: { status: 'done', progress: get().debug.progress, report } });
        } catch (e) {
          if (!current()) return;
          set({ debug: { ...get().debug, status: isCancelled(e) ? 'cancelled' : 'failed' } });
          if (!isCancelled(e)) get().notify('error', message(e));
        }
      },
      encodingsJson: async () => (engine ? engine.api.aimetEncodings() : null),
      ptqFiles: async () => {
        try {
          return engine ? await engine.api.exportPtq() : null;
        } catch (e) {
          get().notify('error', message(e)); // EXPORT_UNSUPPORTED after CLE with ReLU6
          return null;
        }
      },
      qatFiles: async () => {
        try {
          return engine ? await engine.api.exportQat() : null;
        } catch (e) {
          get().notify('error', message(e)); // e.g. EXPORT_UNSUPPORTED after CLE with ReLU6
          return null;
        }
      },
      notify: (kind, text) =>
        set({
          notifications: [...get().notifications, { id: nextNotification++, kind, message: text }],
        }),
      dismiss: (id) => set({ notifications: get().notifications.filter((n) => n.id !== id) }),
    };
  });
}
