/**
 * Test-only hooks on `window.__playgroundTest`, installed by main.tsx only when the page's URL
 * has `?test-hooks` (e2e/faults.spec.ts uses them): they inject faults into the current engine
 * worker. Not reachable from a share link (that is the hash, not the query).
 */
import type { EngineHandle, TestFault } from '@/worker/api';

export interface PlaygroundTestHooks {
  fault(kind: TestFault): void;
}

declare global {
  interface Window {
    __playgroundTest?: PlaygroundTestHooks;
  }
}

export function testHooksEnabled(search: string): boolean {
  return new URLSearchParams(search).has('test-hooks');
}

/** `?test-hooks&hang-ms=N`: a shorter heartbeat limit, so a test of the 'hang' fault is quick. */
export function testHangMs(search: string): number | undefined {
  const ms = Number(new URLSearchParams(search).get('hang-ms'));
  return Number.isFinite(ms) && ms >= 1000 ? ms : undefined;
}

/** Wraps the engine factory so the hooks always reach the newest worker. */
export function withTestHooks(create: () => EngineHandle): () => EngineHandle {
  let current: EngineHandle | null = null;
  window.__playgroundTest = { fault: (kind) => current?.testFault?.(kind) };
  return () => {
    current = create();
    return current;
  };
}
