/**
 * The page side of engine faults (issue 9). A worker that dies leaves comlink's calls pending
 * forever, and one whose WebGPU device is lost fails every job: this wrapper settles every call
 * (rejects them all when the worker crashes or is terminated) and turns a job's device-lost
 * rejection into the `onDeviceLost` callback that `start` was given, once, so the store restarts
 * the engine on WASM and runs the job again instead of showing it as failed.
 */
import type { EngineApi } from './api';

/** engine/backend/deviceLoss.ts DEVICE_LOST_ERROR: the name comlink carries across. */
export const DEVICE_LOST_NAME = 'DeviceLostError';

export interface FaultWatch {
  api: EngineApi;
  /** The worker died (an uncaught error): every pending call rejects, crash listeners run once. */
  crashed(detail: string): void;
  onCrash(listener: (detail: string) => void): void;
  /** Whether any call is still pending (the heartbeat pings only then). */
  busy(): boolean;
  /** The worker was terminated on purpose: pending calls reject as cancelled. */
  close(): void;
}

type AnyFn = (...args: unknown[]) => Promise<unknown>;

export function watchFaults(remote: EngineApi): FaultWatch {
  const pending = new Set<(e: Error) => void>();
  const crashListeners: ((detail: string) => void)[] = [];
  let dead: Error | null = null;
  let deviceLost: ((detail: string) => void) | null = null;
  let lostOnce = false;

  const reportLost = (detail: string) => {
    if (lostOnce) return;
    lostOnce = true;
    deviceLost?.(detail);
  };

  const settle = (call: Promise<unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      if (dead) {
        reject(dead);
        return;
      }
      pending.add(reject);
      call.then(
        (value) => {
          pending.delete(reject);
          resolve(value);
        },
        (e: unknown) => {
          if (e instanceof Error && e.name === DEVICE_LOST_NAME) {
            // Left pending: the store replaces this worker and re-runs the job on WASM.
            reportLost(/was lost \((.*)\); switched/.exec(e.message)?.[1] ?? e.message);
            return;
          }
          pending.delete(reject);
          reject(e);
        },
      );
    });

  const api = {} as Record<keyof EngineApi, AnyFn>;
  for (const key of Object.keys(remote) as (keyof EngineApi)[]) {
    const fn = remote[key] as AnyFn;
    api[key] =
      key === 'start'
        ? (request, baseUrl, onLost) => {
            deviceLost = onLost as (detail: string) => void;
            return settle(fn(request, baseUrl, reportLost));
          }
        : (...args) => settle(fn(...args));
  }

  const fail = (e: Error) => {
    dead ??= e;
    for (const reject of pending) reject(dead);
    pending.clear();
  };

  return {
    api: api as unknown as EngineApi,
    crashed: (detail) => {
      if (dead) return;
      fail(new Error(`The engine worker crashed: ${detail}`));
      for (const listener of crashListeners) listener(detail);
    },
    onCrash: (listener) => {
      crashListeners.push(listener);
    },
    busy: () => pending.size > 0,
    close: () => fail(new Error('cancelled: the engine worker was replaced')),
  };
}
