/**
 * Messages between the page and the engine worker that are not comlink's: a test-only fault
 * (worker/testHooks.ts) and the heartbeat (worker/heartbeat.ts). Comlink ignores them: they
 * carry none of its ids.
 */
export const TEST_FAULT_KEY = '__playgroundTestFault';
export const HEARTBEAT_KEY = '__playgroundHeartbeat';

/** Whether a message's data is an object carrying `key`. */
export function hasKey(data: unknown, key: string): data is Record<string, unknown> {
  return typeof data === 'object' && data !== null && key in data;
}
