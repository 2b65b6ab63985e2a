import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app';

/** Waits until the run of the settings in the URL is done; returns its share link. */
async function finishedRun(page: Page): Promise<string> {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 90_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 90_000 });
  return link;
}

/** Moves the weights slider in the page and times the histogram's redraw (performance.now). */
function sliderStep(page: Page, bits: number) {
  return page.evaluate(async (b) => {
    const slider = document.querySelector<HTMLInputElement>('input[aria-label="Weights bits"]');
    const hist = () => document.querySelector('[data-testid="weight-histogram"]');
    if (!slider) throw new Error('no slider');
    return new Promise<{ dom: number; frame: number; link: string }>((resolve) => {
      let t0 = 0;
      const obs = new MutationObserver(() => {
        if (hist()?.getAttribute('data-bits') !== String(b)) return;
        obs.disconnect();
        const dom = performance.now() - t0;
        const link =
          document.querySelector('[data-testid="quant-summary"]')?.getAttribute('data-link') ?? '';
        requestAnimationFrame(() => resolve({ dom, frame: performance.now() - t0, link }));
      });
      obs.observe(document.body, { attributes: true, subtree: true, childList: true });
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      t0 = performance.now();
      setValue?.call(slider, String(b));
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }, bits);
}

const num = async (page: Page, testId: string, attr: string) =>
  Number(await page.getByTestId(testId).getAttribute(attr));

test('cnn: a selected layer shows its weight histogram under the grid, redrawn on a slider step', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=cnn&n=300&w=8-sym-pt-minmax');
  const link = await finishedRun(page);
  await expect(page.getByTestId('layer-inspector-empty')).toBeVisible();
  await page.getByRole('button', { name: 'Show charts for conv2' }).click();
  const hist = page.getByTestId('weight-histogram');
  await expect(hist).toBeVisible();
  await expect(page.locator('tr.selected')).toHaveAttribute('data-node', 'conv2');
  // 8-bit signed per-tensor: 256 grid points, drawn as one path of ticks.
  await expect(hist).toHaveAttribute('data-grid-points', '256');
  await expect(hist.getByTestId('grid-ticks')).toHaveAttribute('data-count', '256');
  // The clipping thresholds drawn are the encoding's [min, max].
  const clipMin = await hist.getAttribute('data-clip-min');
  await expect(hist.locator('[data-threshold="min"]')).toHaveAttribute('data-value', clipMin ?? '');
  // The page's SQNR of the whole kernel is the table's W-SQNR for the same layer.
  const tableDb = Number(
    await page.locator('tr[data-node="conv2"] td[data-col="w-sqnr"]').textContent(),
  );
  expect(
    Math.abs((await num(page, 'weight-histogram', 'data-tensor-sqnr')) - tableDb),
  ).toBeLessThanOrEqual(0.051);
  const rounding8 = await num(page, 'weight-histogram', 'data-rounding');
  await expect(page.getByTestId('activation-histogram')).toBeVisible();
  await expect(page.getByTestId('activation-histogram')).toHaveAttribute('data-grid-points', '256');

  // 8 -> 4 bits, measured in the page: from the input event to the redrawn histogram, and to
  // the next animation frame. The run's summary still shows the 8-bit link: no run was needed.
  const measured = await sliderStep(page, 4);
  // Then a few steps with warm code (the first includes compiling the paths it runs).
  const warm: number[] = [];
  for (const bits of [5, 6, 7, 6, 5, 4]) warm.push((await sliderStep(page, bits)).frame);
  warm.sort((x, y) => x - y);
  test.info().annotations.push({
    type: 'histogram update (ms)',
    description:
      `first step 8→4: input → redrawn ${measured.dom.toFixed(1)} ms, → next frame ` +
      `${measured.frame.toFixed(1)} ms; warm steps → next frame: median ` +
      `${(warm[3] ?? NaN).toFixed(1)} ms, max ${(warm[5] ?? NaN).toFixed(1)} ms`,
  });
  expect(measured.link).toBe(link);
  await expect(hist).toHaveAttribute('data-grid-points', '16');
  await expect(hist.getByTestId('grid-ticks')).toHaveAttribute('data-count', '16');
  const rounding4 = await num(page, 'weight-histogram', 'data-rounding');
  // s grows 127.5/7.5 = 17x, so the rounding MSE grows by about 289x.
  expect(rounding4).toBeGreaterThan(50 * rounding8);

  // Per-channel: a channel picker, the widest channel by default, and the Fig. 5 ranges.
  await page.getByLabel('Weights granularity').selectOption('per-channel');
  const picker = page.getByLabel('Weight channel');
  await expect(picker).toBeVisible();
  await expect(picker.locator('option:checked')).toContainText('(widest)');
  await expect(page.getByTestId('channel-ranges')).toHaveAttribute('data-channels', '32');
  await picker.selectOption('3');
  await expect(hist).toHaveAttribute('data-channel', '3');
  await expect(hist).toHaveAttribute('data-grid-points', '16');
});

test('cnn: SQNR per layer bars are the table numbers; accuracy per layer after sensitivity', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=cnn&n=200');
  await finishedRun(page);
  const fig = page.getByTestId('sqnr-by-layer');
  await expect(fig).toBeVisible();
  const rows = JSON.parse((await fig.getAttribute('data-values')) ?? '[]') as {
    node: string;
    weights: number | null;
    activations: number | null;
  }[];
  const table = page.locator('table.layers tbody tr');
  await expect(table).toHaveCount(rows.length);
  for (const r of rows) {
    const tr = page.locator(`tr[data-node="${r.node}"]`);
    for (const [col, v] of [
      ['w-sqnr', r.weights],
      ['a-sqnr', r.activations],
    ] as const) {
      const text = (await tr.locator(`td[data-col="${col}"]`).textContent()) ?? '';
      if (v === null) expect(['', '∞']).toContain(text);
      else expect(Math.abs(Number(text) - v)).toBeLessThanOrEqual(0.051);
    }
  }
  const bars = Number(await fig.getAttribute('data-bars'));
  expect(bars).toBeGreaterThan(4);
  await expect(fig.locator('.recharts-bar-rectangle')).toHaveCount(bars);

  await page.getByRole('button', { name: 'Per-layer sensitivity' }).click();
  const acc = page.getByTestId('accuracy-by-layer');
  await expect
    .poll(
      async () => JSON.parse((await acc.getAttribute('data-values')) ?? '[]').at(-1)?.cumulative,
      {
        timeout: 90_000,
      },
    )
    .not.toBeNull();
  const last = JSON.parse((await acc.getAttribute('data-values')) ?? '[]').at(-1) as {
    cumulative: number;
  };
  // Layers 1..last quantized is the whole model: the reference line's value.
  expect(last.cumulative).toBeCloseTo(Number(await acc.getAttribute('data-quantized')), 10);
});

test('cnn: the bit-width sweep streams points; 8 bits beat 2 bits by a margin', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await openApp(page, 'v=1&model=cnn&n=500');
  await finishedRun(page);
  await page.getByRole('button', { name: 'Run bit-width sweep' }).click();
  const sweep = page.getByTestId('sweep');
  await expect(sweep).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('sweep-chart')).toBeVisible({ timeout: 60_000 }); // first point
  await expect(sweep).toHaveAttribute('data-status', 'done', { timeout: 240_000 });
  const points = JSON.parse(
    (await page.getByTestId('sweep-chart-data').getAttribute('data-points')) ?? '[]',
  ) as { kind: string; bits: number; accuracy: number }[];
  expect(points).toHaveLength(14);
  const at = (kind: string, bits: number) =>
    points.find((p) => p.kind === kind && p.bits === bits)?.accuracy ?? NaN;
  test.info().annotations.push({
    type: 'sweep accuracy',
    description: points
      .map((p) => `${p.kind[0]}${p.bits}=${(p.accuracy * 100).toFixed(1)}%`)
      .join(' '),
  });
  expect(at('weights', 8)).toBeGreaterThan(at('weights', 2) + 0.1);
  expect(at('activations', 8)).toBeGreaterThan(at('activations', 2) + 0.1);
  await expect(page.getByTestId('sweep-chart')).toHaveAttribute('data-points', '14');
});

test('spiral: FP32 and quantized decision boundaries are drawn and differ at 2 bits', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=spiral&w=2-sym-pt-minmax&a=2-asym-pt-minmax');
  const link = await finishedRun(page);
  const boundaries = page.getByTestId('boundaries');
  await expect(boundaries).toHaveAttribute('data-link', link);
  const fp = page.getByTestId('boundary-fp32').locator('canvas');
  const q = page.getByTestId('boundary-quantized').locator('canvas');
  await expect(fp).toHaveAttribute('data-drawn', 'true');
  await expect(q).toHaveAttribute('data-drawn', 'true');
  expect(Number(await boundaries.getAttribute('data-disagreement'))).toBeGreaterThan(0.01);
  const pixels = (c: typeof fp) =>
    c.evaluate((el: HTMLCanvasElement) => {
      const d = el.getContext('2d')?.getImageData(0, 0, el.width, el.height).data ?? [];
      let opaque = 0;
      for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) opaque++;
      return { url: el.toDataURL(), opaque, total: d.length / 4 };
    });
  const [a, b] = [await pixels(fp), await pixels(q)];
  expect(a.opaque).toBe(a.total); // every cell painted
  expect(a.url).not.toBe(b.url);
});
