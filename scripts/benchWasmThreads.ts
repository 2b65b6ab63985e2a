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
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumPath } from '../e2e/support/chromium';

const THREADS_DIST = process.env['THREADS_DIST'] ?? 'dist-bench-threads';
const SINGLE_DIST = process.env['SINGLE_DIST'] ?? 'dist-bench';
const PORT = Number(process.env['BENCH_PORT'] ?? 4197);
const ROUNDS = Number(process.env['BENCH_BROWSER_ROUNDS'] ?? 8);
const N = Number(process.env['BENCH_N'] ?? 1000);
const MODELS = (process.env['BENCH_MODELS'] ?? 'mlp,cnn,dwsep,resnet').split(',').filter(Boolean);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const round2 = (x: number) => Math.round(x * 100) / 100;

function serve(dist: string, port: number, threads: boolean): ChildProcess {
  // vite's own process (not npx), so that kill() stops it; the env var gives worker-src blob:.
  const args = ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort'];
  return spawn(process.execPath, [...args, '--outDir', dist], {
    stdio: 'ignore',
    env: { ...process.env, VITE_WASM_THREADS: threads ? '1' : '0' },
  });
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`vite preview did not answer on ${url}`);
}

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
      waitFor(`http://127.0.0.1:${PORT}`),
      waitFor(`http://127.0.0.1:${PORT + 1}`),
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
