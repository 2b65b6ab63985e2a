/**
 * Export (issue 7): the run's results as JSON and CSV, the quantized model after PTQ, and
 * charts as PNG (an SVG chart, a recharts chart, the decision-boundary canvas).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import { openApp } from './support/app';

async function finishedRun(page: Page): Promise<string> {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 60_000 });
  return link;
}

async function downloadOf(page: Page, click: () => Promise<void>): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent('download'), click()]);
  return d;
}

/** PNG signature and IHDR width/height (big-endian at bytes 16 and 20). */
function pngInfo(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Clicks a figure's PNG button; checks name, signature, width (2× on screen) and size. */
async function chartPng(page: Page, figure: Locator, name: string, minBytes: number) {
  const box = await figure.boundingBox();
  if (!box) throw new Error(`${name} is not on screen`);
  const d = await downloadOf(page, () => figure.locator('.png-button').click());
  expect(d.suggestedFilename()).toBe(name);
  await d.saveAs(`test-results/png/${name}`); // to look at
  const bytes = readFileSync(await d.path());
  const { width, height } = pngInfo(bytes);
  expect(width).toBe(Math.round(box.width * 2));
  expect(height).toBe(Math.round(box.height * 2));
  expect(bytes.length).toBeGreaterThan(minBytes);
  return bytes;
}

const LINK = 'v=1&model=cnn&n=200&backend=wasm&w=4-sym-pc-minmax&w.logits=fp32';

test('cnn: results as JSON and CSV, the PTQ model files, and charts as PNG', async ({ page }) => {
  await openApp(page, LINK);
  const link = await finishedRun(page);
  const rows = await page.locator('table.layers tbody tr').count();

  const json = await downloadOf(page, () =>
    page.getByRole('button', { name: 'Results JSON' }).click(),
  );
  expect(json.suggestedFilename()).toBe('cnn-results.json');
  const r = JSON.parse(readFileSync(await json.path(), 'utf8')) as {
    shareLink: string;
    config: { evalLimit: number };
    quantAccuracy: number;
    layers: { node: string; overrideWeights: string | null; wSqnrDb: unknown }[];
  };
  expect(r.shareLink.endsWith(`#${link}`)).toBe(true);
  expect(r.config.evalLimit).toBe(200);
  expect(String(r.quantAccuracy)).toBe(
    await page.getByTestId('quant-accuracy').getAttribute('data-value'),
  );
  expect(r.layers).toHaveLength(rows);
  expect(r.layers.find((l) => l.node === 'logits')?.overrideWeights).toBe('fp32');
  const conv2Db = await page.locator('tr[data-node="conv2"] td[data-col="w-sqnr"]').textContent();
  expect(Number(r.layers.find((l) => l.node === 'conv2')?.wSqnrDb).toFixed(1)).toBe(conv2Db);

  const csv = await downloadOf(page, () =>
    page.getByRole('button', { name: 'Results CSV' }).click(),
  );
  expect(csv.suggestedFilename()).toBe('cnn-results.csv');
  const lines = readFileSync(await csv.path(), 'utf8').split('\r\n');
  expect(lines[0]?.startsWith('model,share_link,count,fp32_accuracy,quant_accuracy,layer,')).toBe(
    true,
  );
  expect(lines).toHaveLength(rows + 2); // header, one per layer, the empty string after the last CRLF

  const files: Download[] = [];
  page.on('download', (d) => files.push(d));
  await page.getByRole('button', { name: 'Quantized model' }).click();
  await expect.poll(() => files.length).toBe(3);
  const byName = new Map(files.map((d) => [d.suggestedFilename(), d]));
  const model = JSON.parse(
    readFileSync((await byName.get('cnn-ptq-model.json')?.path()) ?? '', 'utf8'),
  ) as {
    format: string;
    weightsManifest: { paths: string[] }[];
  };
  expect(model.format).toBe('layers-model');
  expect(model.weightsManifest[0]?.paths).toEqual(['weights.bin']);
  const weights = readFileSync((await byName.get('weights.bin')?.path()) ?? '');
  expect(weights.length).toBeGreaterThan(17_000 * 4 * 0.9); // ~17k float32 parameters (BN folded)
  const enc = JSON.parse(
    readFileSync((await byName.get('cnn-ptq-encodings.json')?.path()) ?? '', 'utf8'),
  ) as { param_encodings: Record<string, unknown[]> };
  expect(enc.param_encodings['conv2.kernel']?.[0]).toMatchObject({ bitwidth: 4 });
  page.removeAllListeners('download');

  // Charts: the plain-SVG histogram and a recharts bar chart.
  await page.getByRole('button', { name: 'Show charts for conv2' }).click();
  const hist = page.getByTestId('weight-histogram');
  await expect(hist).toBeVisible();
  await chartPng(page, hist, 'cnn-weight-histogram.png', 8_000);
  await chartPng(page, page.getByTestId('sqnr-by-layer'), 'cnn-sqnr-by-layer.png', 8_000);
});

test('spiral: the decision-boundary canvas downloads as PNG', async ({ page }) => {
  await openApp(page, 'v=1&model=spiral&n=200&backend=wasm&w=3-sym-pt-minmax');
  await finishedRun(page);
  const fig = page.getByTestId('boundary-quantized');
  await expect(fig.locator('canvas')).toHaveAttribute('data-drawn', 'true', { timeout: 30_000 });
  await chartPng(page, fig, 'spiral-boundary-quantized.png', 10_000);
});
