/**
 * `npm run bench:browser` (also run by `npm run bench`): the built app in headless Chromium
 * (e2e/support/chromium.ts flags), WASM backend, medians of BENCH_BROWSER_ROUNDS rounds after
 * one warm-up, side by side in one run:
 * - start-up: navigation to the first finished quantization result (cnn, 500 test items);
 * - per zoo model: FP32 evaluation of the test split (worker-measured, EvalPanel data-millis)
 *   and the quantized evaluation stage of a W8A8 run (data-eval-millis; it runs the FP32
 *   reference and the fake-quant model side by side and measures SQNR per node), and their ratio;
 * - weight statistics after a control change (cnn, conv2 selected): bits slider input to the DOM
 *   update and to the next frame (goal: one 16 ms frame);
 * - main-thread long tasks (PerformanceObserver 'longtask', and traced with their CPU time:
 *   benchLongTasks.ts) during a short QAT run on cnn
 *   (goal: none over 50 ms), the worst of BENCH_BROWSER_ROUNDS runs;
 * - webgpu: WebGPU (SwiftShader fallback adapter here) vs WASM vs CPU on a tiny case, FP32
 *   and W8A8 evaluation of mlp and cnn on 8 test items (scripts/benchWebgpu.ts);
 * - bundle size: every built file gzipped.
 * Needs a build in BENCH_DIST (default dist-bench) served on BENCH_PORT (default 4199); writes
 * bench-results/bench-browser.json (BENCH_OUT). BENCH_SECTIONS=startup,models,slider,qat,webgpu
 * picks sections (default: all).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { decodeConfig, encodeConfig } from '../src/config/codec';
import { CHROMIUM_FLAGS, chromiumPath } from '../e2e/support/chromium';
import { qatLongTasks } from './benchLongTasks';
import { webgpuBench } from './benchWebgpu';
import { median, round1, servePreview, waitForServer } from './benchUtil';

const DIST = process.env['BENCH_DIST'] ?? 'dist-bench';
const PORT = Number(process.env['BENCH_PORT'] ?? 4199);
const ROUNDS = Number(process.env['BENCH_BROWSER_ROUNDS'] ?? 3);
const MODELS = (process.env['BENCH_MODELS'] ?? 'mlp,cnn,dwsep,resnet,spiral')
  .split(',')
  .filter(Boolean);
const BASE = `http://127.0.0.1:${PORT}`;

/** Waits (polling every frame) for the quantization of `hash` to finish; returns page time. */
async function quantDone(page: Page, hash: string | null): Promise<number> {
  await page.waitForFunction(
    (h) => {
      const s = document.querySelector('[data-testid="quant-summary"]');
      return (
        s?.getAttribute('data-stage') === 'done' &&
        (h === null || s.getAttribute('data-link') === h)
      );
    },
    hash,
    { polling: 'raf', timeout: 180_000 },
  );
  return page.evaluate(() => performance.now());
}

const attr = async (page: Page, testId: string, name: string) =>
  Number(await page.getByTestId(testId).getAttribute(name));

async function startup(page: Page): Promise<number[]> {
  const out: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    await page.goto('about:blank');
    await page.goto(`${BASE}/#v=1&model=cnn&n=500`);
    const t = await quantDone(page, null);
    if (r > 0) out.push(t);
  }
  return out;
}

async function modelEval(page: Page, model: string) {
  const link = (seed: number) => `v=1&model=${model}&seed=${seed}`;
  await page.goto('about:blank');
  await page.goto(`${BASE}/#${link(0)}`);
  await quantDone(page, null);
  const fp32: number[] = [];
  const quant: number[] = [];
  for (let r = 0; r <= ROUNDS; r++) {
    const before = await page
      .getByTestId('fp32-result')
      .getAttribute('data-millis')
      .catch(() => null);
    await page.getByRole('button', { name: 'Evaluate FP32' }).click();
    await page.waitForFunction(
      (b) => {
        const e = document.querySelector('[data-testid="fp32-result"]');
        const button = [...document.querySelectorAll('button')].find(
          (x) => x.textContent === 'Evaluate FP32',
        );
        return e !== null && e.getAttribute('data-millis') !== b && button?.disabled === false;
      },
      before,
      { timeout: 180_000 },
    );
    if (r > 0) fp32.push(await attr(page, 'fp32-result', 'data-millis'));
    // A new seed is a new W8A8 run of the same cost (another calibration draw).
    await page.evaluate((h) => (window.location.hash = h), link(r + 1));
    await quantDone(page, encodeConfig(decodeConfig(link(r + 1)).config));
    if (r > 0) quant.push(await attr(page, 'quant-summary', 'data-eval-millis'));
  }
  const f = median(fp32);
  const q = median(quant);
  return {
    model,
    fp32Ms: round1(f),
    quantEvalMs: round1(q),
    ratio: Math.round((q / f) * 100) / 100,
  };
}

async function sliderSteps(page: Page) {
  await page.goto('about:blank');
  await page.goto(`${BASE}/#v=1&model=cnn&n=300&w=8-sym-pt-minmax`);
  await quantDone(page, null);
  await page.getByRole('button', { name: 'Show charts for conv2' }).click();
  await page.getByTestId('weight-histogram').waitFor();
  const dom: number[] = [];
  const frame: number[] = [];
  for (let r = 0; r <= ROUNDS * 4; r++) {
    const bits = r % 2 === 0 ? 7 : 8;
    const t = await page.evaluate(async (b) => {
      const slider = document.querySelector<HTMLInputElement>('input[aria-label="Weights bits"]');
      const hist = () => document.querySelector('[data-testid="weight-histogram"]');
      if (!slider) throw new Error('no slider');
      return new Promise<{ dom: number; frame: number }>((resolve) => {
        let t0 = 0;
        const obs = new MutationObserver(() => {
          if (hist()?.getAttribute('data-bits') !== String(b)) return;
          obs.disconnect();
          const d = performance.now() - t0;
          requestAnimationFrame(() => resolve({ dom: d, frame: performance.now() - t0 }));
        });
        obs.observe(document.body, { attributes: true, subtree: true, childList: true });
        const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
        t0 = performance.now();
        setValue?.call(slider, String(b));
        slider.dispatchEvent(new Event('input', { bubbles: true }));
      });
    }, bits);
    if (r > 0) {
      dom.push(t.dom);
      frame.push(t.frame);
    }
    await page.waitForTimeout(150); // let the debounced hash rewrite and the re-run start
  }
  return {
    domMs: round1(median(dom)),
    nextFrameMs: round1(median(frame)),
    maxDomMs: round1(Math.max(...dom)),
  };
}

function bundleSizes() {
  const files: { file: string; bytes: number; gzip: number }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(js|css|html|wasm)$/.test(name)) {
        const buf = readFileSync(p);
        files.push({
          file: p.slice(DIST.length + 1),
          bytes: buf.length,
          gzip: gzipSync(buf, { level: 9 }).length,
        });
      }
    }
  };
  walk(join(DIST, 'assets'));
  const sum = (pred: (f: string) => boolean) => {
    const sel = files.filter((f) => pred(f.file));
    return {
      bytes: sel.reduce((a, f) => a + f.bytes, 0),
      gzip: sel.reduce((a, f) => a + f.gzip, 0),
    };
  };
  return {
    js: sum((f) => f.endsWith('.js')),
    css: sum((f) => f.endsWith('.css')),
    wasm: sum((f) => f.endsWith('.wasm')),
    all: sum(() => true),
  };
}

async function main(): Promise<void> {
  const server = servePreview(DIST, PORT);
  try {
    await waitForServer(BASE);
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    const page = await browser.newPage();
    // tsx (esbuild keepNames) wraps named functions in __name(); page.evaluate bodies need it.
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    // BENCH_SECTIONS (e.g. "slider,qat") runs only those; the default is all of them.
    const only = process.env['BENCH_SECTIONS']?.split(',');
    const runs = (name: string) => !only || only.includes(name);
    const startupMs = runs('startup') ? median(await startup(page)) : NaN;
    const models = [];
    for (const m of runs('models') ? MODELS : []) {
      models.push(await modelEval(page, m));
      console.log(models.at(-1));
    }
    const slider = runs('slider') ? await sliderSteps(page) : null;
    console.log('slider', slider);
    const qat = runs('qat')
      ? await qatLongTasks(browser, page, BASE, ROUNDS, (p) => quantDone(p, null))
      : null;
    console.log('qat', qat);
    const webgpu = runs('webgpu') ? await webgpuBench(browser, BASE) : null;
    await browser.close();
    const out = {
      rounds: ROUNDS,
      startupMs: round1(startupMs),
      models,
      slider,
      qat,
      webgpu,
      bundle: bundleSizes(),
    };
    mkdirSync('bench-results', { recursive: true });
    const file = process.env['BENCH_OUT'] ?? 'bench-results/bench-browser.json';
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    if (models.length) console.table(models);
    if (webgpu) console.table(webgpu.rows.map(({ runs: _r, firstMs: _f, ...row }) => row));
    console.log(JSON.stringify(out, null, 2));
  } finally {
    server.kill();
  }
}

await main();
