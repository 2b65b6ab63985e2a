/**
 * The `webgpu` section of scripts/benchBrowser.ts: WebGPU against WASM and CPU on a tiny case.
 * Headless Chromium's WebGPU here is SwiftShader (a fallback adapter, software Vulkan), far
 * slower than WASM, so only the first BENCH_WEBGPU_N (default 8) test items of
 * BENCH_WEBGPU_MODELS (default mlp,cnn) are evaluated. One page of test-pages/backends.html per
 * backend keeps one engine worker each (start-up excluded); after a warm-up call per backend
 * and case (model load, shader compilation; kept as firstMs), BENCH_WEBGPU_ROUNDS (default 5)
 * interleaved rounds (the backend order rotates each round, so drift and a neighbour's load hit
 * every backend alike) time, worker-measured:
 * - FP32 evaluation of the first N items (Fp32Result.millis);
 * - the evaluation stage of a W8A8 run on the same N items (QuantResult.millis.evaluation: the
 *   FP32 reference and the fake-quant model side by side, SQNR per node), BENCH_WEBGPU_CAL
 *   (default 16) calibration items.
 * Reports medians and the median of the per-round ratios to WASM, and the adapter info.
 */
import type { Browser, Page } from '@playwright/test';
import { median, round1, round2 } from './benchUtil';

const N = Number(process.env['BENCH_WEBGPU_N'] ?? 8);
const CAL = Number(process.env['BENCH_WEBGPU_CAL'] ?? 16);
const ROUNDS = Number(process.env['BENCH_WEBGPU_ROUNDS'] ?? 5);
const MODELS = (process.env['BENCH_WEBGPU_MODELS'] ?? 'mlp,cnn').split(',').filter(Boolean);
const BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
type Backend = (typeof BACKENDS)[number];

interface Info {
  backend: string;
  reason: string;
  adapter: string;
  isFallbackAdapter: boolean | null;
}

interface BenchWindow {
  openEngine: (b: string) => Promise<Info>;
  timeEval: (m: string, n: number) => Promise<number>;
  timeQuant: (hash: string) => Promise<{ evaluation: number; calibration: number }>;
}

export interface WebgpuRow {
  model: string;
  /** 'fp32': FP32 evaluation; 'w8a8': the evaluation stage of a W8A8 run. */
  kind: 'fp32' | 'w8a8';
  items: number;
  webgpuMs: number;
  wasmMs: number;
  cpuMs: number;
  /** Median of the per-round ratios to WASM. */
  webgpuToWasm: number;
  cpuToWasm: number;
  /** The warm-up call (first of its kind on that worker: shader compilation on WebGPU). */
  firstMs: Record<Backend, number>;
  runs: Record<Backend, number[]>;
}

export interface WebgpuBench {
  rounds: number;
  items: number;
  calibration: number;
  backends: Record<Backend, Info>;
  rows: WebgpuRow[];
}

async function open(browser: Browser, base: string, backend: Backend): Promise<[Page, Info]> {
  const page = await browser.newPage();
  // tsx (esbuild keepNames) wraps named functions in __name(); page.evaluate bodies need it.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.goto(`${base}/test-pages/backends.html`);
  await page.waitForSelector('body[data-ready="true"]');
  const info = await page.evaluate(
    (b) => (window as unknown as BenchWindow).openEngine(b),
    backend,
  );
  // A silent fallback (no adapter: WebGPU would come back as WASM) would make the row a lie.
  if (info.backend !== backend) throw new Error(`asked for ${backend}, got ${info.backend}`);
  return [page, info];
}

/** One timed call of `kind` on `model`, worker-measured, in ms. */
function timeOne(page: Page, kind: WebgpuRow['kind'], model: string): Promise<number> {
  if (kind === 'fp32')
    return page.evaluate(([m, n]) => (window as unknown as BenchWindow).timeEval(m, n), [
      model,
      N,
    ] as const);
  // Defaults are W8A8 (8-bit symmetric per-channel weights, 8-bit asymmetric activations).
  const hash = `v=1&model=${model}&n=${N}&cal=${CAL}`;
  return page
    .evaluate((h) => (window as unknown as BenchWindow).timeQuant(h), hash)
    .then((m) => m.evaluation);
}

async function row(
  pages: Record<Backend, Page>,
  kind: WebgpuRow['kind'],
  model: string,
): Promise<WebgpuRow> {
  const firstMs: Record<Backend, number> = { webgpu: NaN, wasm: NaN, cpu: NaN };
  for (const b of BACKENDS) firstMs[b] = round1(await timeOne(pages[b], kind, model));
  const runs: Record<Backend, number[]> = { webgpu: [], wasm: [], cpu: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < BACKENDS.length; k++) {
      const b = BACKENDS[(r + k) % BACKENDS.length] as Backend;
      runs[b].push(await timeOne(pages[b], kind, model));
    }
  }
  const ratio = (b: Backend) => round2(median(runs[b].map((x, i) => x / (runs.wasm[i] ?? NaN))));
  return {
    model,
    kind,
    items: N,
    webgpuMs: round1(median(runs.webgpu)),
    wasmMs: round1(median(runs.wasm)),
    cpuMs: round1(median(runs.cpu)),
    webgpuToWasm: ratio('webgpu'),
    cpuToWasm: ratio('cpu'),
    firstMs,
    runs: {
      webgpu: runs.webgpu.map(round1),
      wasm: runs.wasm.map(round1),
      cpu: runs.cpu.map(round1),
    },
  };
}

/** Runs the section on `browser` against the preview server at `base`. */
export async function webgpuBench(browser: Browser, base: string): Promise<WebgpuBench> {
  const opened = await Promise.all(BACKENDS.map((b) => open(browser, base, b)));
  const pages = Object.fromEntries(BACKENDS.map((b, i) => [b, opened[i]?.[0]])) as Record<
    Backend,
    Page
  >;
  const backends = Object.fromEntries(BACKENDS.map((b, i) => [b, opened[i]?.[1]])) as Record<
    Backend,
    Info
  >;
  console.log('webgpu backends', backends);
  const rows: WebgpuRow[] = [];
  try {
    for (const model of MODELS) {
      for (const kind of ['fp32', 'w8a8'] as const) {
        rows.push(await row(pages, kind, model));
        const { runs: _runs, firstMs: _first, ...shown } = rows.at(-1) as WebgpuRow;
        console.log(shown);
      }
    }
  } finally {
    for (const p of Object.values(pages)) await p.close();
  }
  return { rounds: ROUNDS, items: N, calibration: CAL, backends, rows };
}
