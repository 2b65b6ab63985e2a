/**
 * `npm run bench:threads`: threaded WASM (SIMD + pthreads, hardwareConcurrency threads) against
 * single-threaded SIMD, side by side in one run. Two builds are served at once: THREADS_DIST
 * (built with VITE_WASM_THREADS=1) and SINGLE_DIST (the default build); one headless Chromium
 * opens test-pages/backends.html on each, keeps one engine worker per build (warm-up paid once)
 * and, per zoo model, times FP32 evaluation of the first BENCH_N test items (worker-measured)
 * in interleaved rounds (ABBA order, so drift and a neighbour's load hit both alike). Prints
 * the medians, the median of the per-round ratios and the thread counts TF.js reports;
 * writes bench-results/bench-wasm-threads.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumPath } from '../e2e/support/chromium';
import { median, round2, servePreview, waitForServer } from './benchUtil';

const THREADS_DIST = process.env['THREADS_DIST'] ?? 'dist-bench-threads';
const SINGLE_DIST = process.env['SINGLE_DIST'] ?? 'dist-bench';
const PORT = Number(process.env['BENCH_PORT'] ?? 4197);
const ROUNDS = Number(process.env['BENCH_BROWSER_ROUNDS'] ?? 8);
const N = Number(process.env['BENCH_N'] ?? 1000);
const MODELS = (process.env['BENCH_MODELS'] ?? 'mlp,cnn,dwsep,resnet').split(',').filter(Boolean);

// The env var gives the threaded build's CSP worker-src blob: (vite.config.ts).
const serve = (dist: string, port: number, threads: boolean) =>
  servePreview(dist, port, { VITE_WASM_THREADS: threads ? '1' : '0' });

interface BenchWindow {
  openEngine: (b: string) => Promise<{ backend: string; reason: string }>;
  timeEval: (m: string, n: number) => Promise<number>;
}

async function open(page: Page, port: number): Promise<string> {
  await page.goto(`http://127.0.0.1:${port}/test-pages/backends.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const info = await page.evaluate(() => (window as unknown as BenchWindow).openEngine('wasm'));
  if (info.backend !== 'wasm') throw new Error(`expected wasm, got ${info.backend}`);
  return info.reason;
}

const timeEval = (page: Page, model: string) =>
  page.evaluate(([m, n]) => (window as unknown as BenchWindow).timeEval(m, n), [model, N] as const);

async function main(): Promise<void> {
  const servers = [serve(SINGLE_DIST, PORT, false), serve(THREADS_DIST, PORT + 1, true)];
  try {
    await Promise.all([
      waitForServer(`http://127.0.0.1:${PORT}`),
      waitForServer(`http://127.0.0.1:${PORT + 1}`),
    ]);
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    const single = await browser.newPage();
    const threaded = await browser.newPage();
    for (const p of [single, threaded])
      await p.addInitScript({ content: 'window.__name = (f) => f;' });
    const reasons = { single: await open(single, PORT), threaded: await open(threaded, PORT + 1) };
    console.log('backend reasons', reasons);
    const models = [];
    for (const model of MODELS) {
      await timeEval(single, model); // warm-up: model load, XNNPACK operator set-up
      await timeEval(threaded, model);
      const s: number[] = [];
      const t: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const order = r % 2 === 0 ? ([single, threaded] as const) : ([threaded, single] as const);
        for (const page of order) (page === single ? s : t).push(await timeEval(page, model));
      }
      const row = {
        model,
        items: N,
        singleMs: Math.round(median(s)),
        threadedMs: Math.round(median(t)),
        ratio: round2(median(t.map((x, i) => x / (s[i] ?? NaN)))),
        singleRuns: s.map(Math.round),
        threadedRuns: t.map(Math.round),
      };
      console.log(row);
      models.push(row);
    }
    await browser.close();
    const out = { rounds: ROUNDS, items: N, reasons, models };
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/bench-wasm-threads.json', `${JSON.stringify(out, null, 2)}\n`);
    console.table(models.map(({ singleRuns: _s, threadedRuns: _t, ...row }) => row));
  } finally {
    for (const s of servers) s.kill();
  }
}

await main();
