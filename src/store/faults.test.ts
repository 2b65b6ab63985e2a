/**
 * Engine faults and cancellation as the store sees them (issue 9), with the fake engine behind
 * the real client-side fault wrapper (worker/faults.ts): a lost WebGPU device re-runs the job on
 * WASM, a crashed worker is reported and replaced, and every long job cancels cleanly.
 */
import { describe, expect, it } from 'vitest';
import { DEVICE_LOST_NAME, type EngineApi, type EngineHandle, watchFaults } from '@/worker/api';
import { createAppStore } from './createAppStore';
import {
  createFakeEngineFactory,
  type FakeEngine,
  fakeDebugReport,
  fakeQuantResult,
} from './fakeEngine';
import { fakeQatResult } from './fakeQat';

const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

type Job = 'evaluate' | 'quantize' | 'debug' | 'qat' | 'sweep';

/** Jobs that stay pending until cancelled (rejected 'cancelled', as the session does) or released. */
function holdJobs(api: EngineApi) {
  const held = new Map<Job, { release: () => void; reject: (e: Error) => void }>();
  const hold = <T>(job: Job, value: () => T) =>
    new Promise<T>((resolve, reject) => {
      held.set(job, { release: () => resolve(value()), reject });
    });
  const cancel = (...jobs: Job[]) => {
    for (const j of jobs) held.get(j)?.reject(new Error('cancelled'));
    for (const j of jobs) held.delete(j);
  };
  const fp32 = { modelId: 'cnn', backend: 'wasm', count: 4, correct: 3, accuracy: 0.75, millis: 1 };
  const held_: EngineApi = {
    ...api,
    evaluateFp32: () => hold('evaluate', () => ({ ...fp32, backend: 'wasm' as const })),
    quantize: (c, o) => hold('quantize', () => fakeQuantResult(c, o.sensitivity)),
    debugFlow: (c) => hold('debug', () => fakeDebugReport(c)),
    qat: (c) => hold('qat', () => ({ ...fakeQatResult(c), status: 'done' as const })),
    bitSweep: (c) =>
      hold('sweep', () => ({
        modelId: c.model,
        link: 'v=1',
        count: 4,
        fp32Accuracy: 0.75,
        points: [],
        remaining: 0,
      })),
    cancel: async () => cancel('evaluate', 'quantize', 'debug'),
    cancelQat: async () => cancel('qat'),
    cancelSweep: async () => cancel('sweep'),
  };
  return { api: held_, held, release: (j: Job) => held.get(j)?.release() };
}

/** The fake engine behind watchFaults, optionally with held jobs; `crash` fires the worker's error. */
function setup(options: { hold?: boolean; failFirstEval?: boolean } = {}) {
  const { factory, engines } = createFakeEngineFactory();
  let failedEvals = 0;
  const handles: (EngineHandle & {
    crash(detail: string): void;
    jobs: ReturnType<typeof holdJobs>;
  })[] = [];
  const createEngine = (): EngineHandle => {
    const fake: FakeEngine = factory() as FakeEngine;
    const jobs = holdJobs(fake.api);
    let api = options.hold ? jobs.api : fake.api;
    if (options.failFirstEval) {
      const inner = api.evaluateFp32;
      api = {
        ...api,
        // What the worker's DeviceLossGuard rejects with when WebGPU fails under a batch.
        evaluateFp32: async (req, onProgress) => {
          if (failedEvals++ > 0) return inner(req, onProgress);
          const e = new Error('The webgpu device was lost (GPU hung); switched to WASM.');
          e.name = DEVICE_LOST_NAME;
          throw e;
        },
      };
    }
    const faults = watchFaults(api);
    const handle = {
      api: faults.api,
      terminate: () => {
        faults.close();
        fake.terminate();
      },
      onCrash: faults.onCrash,
      crash: (detail: string) => faults.crashed(detail),
      jobs,
    };
    handles.push(handle);
    return handle;
  };
  const store = createAppStore({ createEngine, baseUrl: 'http://x/' });
  return { store, engines, handles };
}

describe('WebGPU device loss', () => {
  it('lost mid-evaluation: falls back to WASM, says so, and finishes the evaluation there', async () => {
    const { store, engines } = setup();
    store.getState().setBackend('webgpu');
    await store.getState().startEngine();
    const evaluation = store.getState().evaluate();
    await flush();
    expect(store.getState().run.status).toBe('running');
    engines.at(-1)?.loseDevice('GPU hung');
    await flush();
    expect(engines.at(-1)?.starts).toEqual(['wasm']);
    expect(store.getState().engine).toMatchObject({ status: 'ready', info: { backend: 'wasm' } });
    expect(store.getState().notifications.map((n) => n.message)).toEqual([
      'The webgpu device was lost (GPU hung); switched to WASM.',
      'Running again on WASM what the lost device was doing: FP32 evaluation.',
    ]);
    expect(store.getState().run.status).toBe('running'); // re-run on the new worker
    engines.at(-1)?.finishEval();
    await flush();
    expect(store.getState().run).toMatchObject({ status: 'done', result: { accuracy: 0.75 } });
    void evaluation;
  });

  it('a job rejecting with the device-lost error triggers the same fallback and re-run', async () => {
    const { store, engines } = setup({ failFirstEval: true });
    store.getState().setBackend('webgpu');
    await store.getState().startEngine();
    void store.getState().evaluate();
    await flush();
    expect(engines).toHaveLength(3); // auto, webgpu, then the WASM fallback
    expect(engines[2]?.starts).toEqual(['wasm']);
    expect(store.getState().notifications[0]?.message).toBe(
      'The webgpu device was lost (GPU hung); switched to WASM.',
    );
    engines[2]?.finishEval();
    await flush();
    expect(store.getState().run.status).toBe('done');
    expect(store.getState().notifications.some((n) => /could not|failed/i.test(n.message))).toBe(
      false,
    );
  });
});

describe('worker crash', () => {
  it('is reported by name, the running job is marked failed, and a new worker serves the next run', async () => {
    const { store, engines, handles } = setup();
    await store.getState().startEngine();
    void store.getState().evaluate();
    await flush();
    handles[0]?.crash('out of memory');
    await flush();
    expect(engines).toHaveLength(2);
    expect(engines[0]?.terminated).toBe(1);
    expect(engines[1]?.starts).toEqual(['auto']);
    expect(store.getState().engine.status).toBe('ready');
    expect(store.getState().run.status).toBe('failed');
    expect(store.getState().notifications.map((n) => n.message)).toEqual([
      'The engine worker crashed (out of memory); a new one was started. Stopped: FP32 evaluation; run it again.',
    ]);
    const next = store.getState().evaluate();
    await flush();
    engines[1]?.finishEval();
    await next;
    expect(store.getState().run).toMatchObject({ status: 'done', result: { accuracy: 0.75 } });
  });

  it('a crash of an idle worker, or a second report of the same crash, restarts once', async () => {
    const { store, engines, handles } = setup();
    await store.getState().startEngine();
    handles[0]?.crash('x');
    handles[0]?.crash('x');
    await flush();
    expect(engines).toHaveLength(2);
    expect(store.getState().notifications.map((n) => n.message)).toEqual([
      'The engine worker crashed (x); a new one was started. Nothing was running.',
    ]);
  });
});

describe('worker crash while starting', () => {
  it('is reported once and not restarted, so a worker that cannot start does not loop', async () => {
    const { store, engines, handles } = setup();
    const started = store.getState().startEngine();
    handles[0]?.crash('Uncaught [object ErrorEvent]');
    await started;
    await flush();
    expect(engines).toHaveLength(1);
    expect(store.getState().engine.status).toBe('failed');
    expect(store.getState().notifications.map((n) => n.message)).toEqual([
      'The engine could not start: The engine worker crashed: Uncaught [object ErrorEvent]',
    ]);
  });
});

describe('cancelling each long job leaves the app consistent', () => {
  const cases: {
    job: Job;
    start: (s: ReturnType<typeof setup>['store']) => Promise<void>;
    cancel: (s: ReturnType<typeof setup>['store']) => void;
    slice: 'run' | 'quant' | 'debug' | 'qat' | 'sweep';
  }[] = [
    {
      job: 'evaluate',
      start: (s) => s.getState().evaluate(),
      cancel: (s) => s.getState().cancel(),
      slice: 'run',
    },
    {
      job: 'quantize',
      start: (s) => s.getState().quantize(),
      cancel: (s) => s.getState().cancel(),
      slice: 'quant',
    },
    {
      job: 'debug',
      start: (s) => s.getState().runDebug(),
      cancel: (s) => s.getState().cancel(),
      slice: 'debug',
    },
    {
      job: 'qat',
      start: (s) => s.getState().startQat(),
      cancel: (s) => s.getState().cancelQat(),
      slice: 'qat',
    },
    {
      job: 'sweep',
      start: (s) => s.getState().runSweep(),
      cancel: (s) => s.getState().cancelSweep(),
      slice: 'sweep',
    },
  ];
  for (const c of cases) {
    it(`${c.job}: cancelled without an error, and the next run completes`, async () => {
      const { store, handles } = setup({ hold: true });
      await store.getState().startEngine();
      const first = c.start(store);
      await flush();
      expect(store.getState()[c.slice].status).toBe('running');
      c.cancel(store);
      await first;
      expect(store.getState()[c.slice].status).toBe('cancelled');
      expect(store.getState().notifications).toEqual([]);
      expect(store.getState().engine.status).toBe('ready');
      const second = c.start(store);
      await flush();
      handles[0]?.jobs.release(c.job);
      await second;
      expect(store.getState()[c.slice].status).toBe('done');
    });
  }
});
