/**
 * Hang and silent-exit detection for the engine worker (issue 9). A worker stuck in a loop, or
 * one the browser ended without an `error` event (out of memory, `close()`), leaves its calls
 * pending forever. While calls are pending, the page pings the worker every `intervalMs`; the
 * worker answers between tasks (engine.worker.ts). No answer for `hangMs` means it is gone.
 *
 * The engine yields between batches and training steps (engine/yieldTask.ts), so a healthy
 * worker answers within one batch's compute time: by the bench's figures the longest is the
 * integer path of resnet on a 250-image batch, about 7 s (69x its 97 ms W8A8 time, Node, WASM).
 * The default 60 s leaves a wide margin on slower machines.
 */
import { HEARTBEAT_KEY, hasKey } from './messageKeys';

export const DEFAULT_HANG_MS = 60_000;
export const HEARTBEAT_INTERVAL_MS = 2_000;

export interface HeartbeatOptions {
  /** Sends ping number `n` to the worker. */
  post(n: number): void;
  /** Whether any call is pending (an idle worker is not pinged). */
  busy(): boolean;
  /** Called once, with the silence in ms, when a ping stays unanswered for hangMs. */
  onHang(silentMs: number): void;
  hangMs?: number;
  intervalMs?: number;
  now?: () => number;
}

export interface Heartbeat {
  /** The worker answered a ping. */
  answered(): void;
  stop(): void;
}

export function startHeartbeat(o: HeartbeatOptions): Heartbeat {
  const hangMs = o.hangMs ?? DEFAULT_HANG_MS;
  const now = o.now ?? (() => performance.now());
  let n = 0;
  /** When the oldest unanswered ping was sent; null when every ping was answered. */
  let waitingSince: number | null = null;
  let stopped = false;
  const timer = setInterval(() => {
    if (stopped) return;
    if (!o.busy()) {
      waitingSince = null;
      return;
    }
    const t = now();
    if (waitingSince !== null && t - waitingSince >= hangMs) {
      stop();
      o.onHang(t - waitingSince);
      return;
    }
    waitingSince ??= t;
    o.post(++n);
  }, o.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return {
    answered: () => {
      waitingSince = null;
    },
    stop,
  };
}

/** The worker side: answers every ping on `scope` (engine.worker.ts). */
export function answerHeartbeats(scope: {
  addEventListener: Worker['addEventListener'];
  postMessage(message: unknown): void;
}): void {
  scope.addEventListener('message', (e: MessageEvent) => {
    const data: unknown = e.data;
    if (hasKey(data, HEARTBEAT_KEY)) scope.postMessage({ [HEARTBEAT_KEY]: data[HEARTBEAT_KEY] });
  });
}
