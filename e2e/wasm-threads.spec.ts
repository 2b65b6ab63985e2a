/**
 * Threaded WASM (docs/performance.md, "Threaded WASM"). A build made with VITE_WASM_THREADS=1
 * runs on the thread count it asked for (hardwareConcurrency, at most 8; TF.js alone would cap
 * it at half, engine/backend/wasmThreads.ts) and its pthread workers exist; the default build
 * stays single-threaded with none. Which build is under test is read from its CSP: only a
 * threaded build allows blob: workers (vite.config.ts). Run it on both builds.
 */
import { expect, test } from '@playwright/test';

interface Outcome {
  info: { backend: string; reason: string };
  result: { count: number; accuracy: number };
}

test('the WASM backend runs on the thread count the build asked for', async ({ page }) => {
  const blobWorkers: string[] = [];
  page.on('worker', (w) => {
    if (w.url().startsWith('blob:')) blobWorkers.push(w.url());
  });
  await page.goto('/test-pages/backends.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const csp = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  const threaded = /worker-src[^;]*blob:/.test(csp ?? '');
  const { outcome, cores, isolated } = await page.evaluate(async () => ({
    outcome: await (
      window as unknown as { runEval: (b: string, m: string, n: number) => Promise<Outcome> }
    ).runEval('wasm', 'cnn', 64),
    cores: navigator.hardwareConcurrency,
    isolated: crossOriginIsolated,
  }));
  expect(isolated).toBe(true);
  expect(outcome.info.backend).toBe('wasm');
  expect(outcome.result.count).toBe(64);
  expect(outcome.result.accuracy).toBeGreaterThan(0.9);
  if (threaded) {
    const wanted = Math.min(Math.max(cores, 1), 8);
    expect(outcome.info.reason).toMatch(new RegExp(`; ${wanted} threads$`));
    // Emscripten preallocates 8 pthread workers; pthreadpool uses wanted - 1 of them.
    expect(blobWorkers.length).toBeGreaterThanOrEqual(Math.max(wanted - 1, 1));
  } else {
    expect(outcome.info.reason).not.toMatch(/threads/);
    expect(blobWorkers).toEqual([]);
  }
});
