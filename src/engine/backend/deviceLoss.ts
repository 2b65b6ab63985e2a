/**
 * WebGPU device loss while a job runs (issue 9). A lost device makes every later WebGPU op fail
 * (or never finish), so the job cannot be saved on this backend: the guard turns whatever the
 * job threw into one named error, DEVICE_LOST_ERROR, which the page's client recognises and
 * answers by starting a WASM worker and running the job again (store/createAppStore.ts).
 */
import { playgroundError } from '@/config/errors';

export const DEVICE_LOST_ERROR = 'DeviceLostError';
/**
 * How long a job that failed in a GPU call waits for `device.lost` to settle: on SwiftShader it
 * came 1.8 s after the first failed mapAsync (measured, e2e/faults.spec.ts).
 */
export const LOSS_SETTLE_MS = 5000;
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GPUDeviceLostInfo's shape (reason 'destroyed' | 'unknown', message), as WebGPU gives it. */
interface DeviceLostInfoLike {
  reason: string;
  message: string;
}

const isLostInfo = (e: unknown): e is DeviceLostInfoLike =>
  typeof e === 'object' &&
  e !== null &&
  typeof (e as DeviceLostInfoLike).message === 'string' &&
  ((e as DeviceLostInfoLike).reason === 'destroyed' ||
    (e as DeviceLostInfoLike).reason === 'unknown');

/**
 * Errors Chromium's WebGPU and TF.js raise once the device is gone. A destroyed device unmaps
 * the staging buffer TF.js is reading ("Buffer was unmapped before mapping was resolved"), and
 * on a busy machine that came more than 5 s before `device.lost` settled (e2e/faults.spec.ts).
 */
const LOST_TEXT =
  /device (?:is |was )?(?:lost|destroyed)|GPUDevice.*(?:lost|destroyed)|unmapped before mapping was resolved/i;

export function isDeviceLost(e: unknown): boolean {
  if (isLostInfo(e)) return true;
  if (e instanceof Error) return e.name === DEVICE_LOST_ERROR || LOST_TEXT.test(e.message);
  return typeof e === 'string' && LOST_TEXT.test(e);
}

/** A failure inside a WebGPU call (DOMException names WebGPU uses), which a lost device causes. */
const gpuFailure = (e: unknown) =>
  e instanceof Error &&
  (e.name === 'AbortError' || e.name === 'OperationError' || /GPU/.test(e.message));

const detailOf = (e: unknown): string => {
  if (isLostInfo(e)) return e.message || e.reason;
  if (e instanceof Error) return e.message;
  return String(e);
};

/** The error a job ends with when its device was lost: BACKEND_LOST's text, a name to match on. */
export function deviceLostError(backend: string, detail: string): Error {
  const e = playgroundError('BACKEND_LOST', { backend, detail });
  e.name = DEVICE_LOST_ERROR;
  return e;
}

/**
 * Watches one worker's device: `markLost` when WebGPU reports the loss; `wrap` makes a job that
 * fails on a lost device (or with a device-lost error) end with deviceLostError.
 */
export class DeviceLossGuard {
  private lostDetail: string | null = null;
  private lostSignal: Promise<unknown> | null = null;

  constructor(private readonly backend: () => string) {}

  get lost(): string | null {
    return this.lostDetail;
  }

  markLost(detail: string): void {
    this.lostDetail ??= detail;
  }

  /**
   * Follows the device's `lost` promise. A job's own failure (e.g. "Buffer was unmapped before
   * mapping was resolved") usually arrives before `lost` settles, so a failing job waits for it a
   * moment (LOSS_SETTLE_MS) before deciding whether the device is the cause.
   */
  watch(lost: Promise<{ message: string; reason: string }>): void {
    this.lostSignal = lost.then((info) => this.markLost(info.message || info.reason));
  }

  wrap<A extends unknown[], R>(job: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      try {
        return await job(...args);
      } catch (e) {
        // A cancellation is the person's doing, never the device's: no wait.
        if (e instanceof Error && e.name === 'CancelledError') throw e;
        if (this.lostDetail === null && this.lostSignal && gpuFailure(e))
          await Promise.race([this.lostSignal, delay(LOSS_SETTLE_MS)]);
        if (this.lostDetail === null && !isDeviceLost(e)) throw e;
        this.markLost(detailOf(e));
        throw deviceLostError(this.backend(), this.lostDetail ?? detailOf(e));
      }
    };
  }
}
