import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openApp } from './support/app';

/** Waits for the run of the settings in the URL to finish; returns what the summary shows. */
async function finishedRun(page: Page) {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 90_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 90_000 });
  const accuracy = Number(await page.getByTestId('quant-accuracy').getAttribute('data-value'));
  const outputSqnr = Number(await page.getByTestId('output-sqnr').textContent());
  const wSqnr = await page.locator('td[data-col="w-sqnr"]').allTextContents();
  return { accuracy, outputSqnr, wSqnr: wSqnr.filter((t) => t !== '').map(Number) };
}

async function setBits(page: Page, bits: number) {
  const slider = page.getByLabel('Weights bits');
  await slider.fill(String(bits));
  await expect(page.getByTestId('weights-bits')).toHaveText(String(bits));
  await expect.poll(() => page.url()).toContain(`w=${bits}-sym-pc-minmax`);
}

test('quantizing cnn: SQNR and accuracy fall as weight bits fall, per layer', async ({ page }) => {
  await openApp(page, 'v=1&model=cnn&n=500');
  const w8 = await finishedRun(page); // runs on its own once the engine is ready
  expect(w8.accuracy).toBeGreaterThan(0.95);
  expect(w8.wSqnr.length).toBe(4); // conv1..conv3 + dense head
  await setBits(page, 4);
  const w4 = await finishedRun(page);
  await setBits(page, 2);
  const w2 = await finishedRun(page);
  w8.wSqnr.forEach((db, i) => {
    expect(w4.wSqnr[i]).toBeLessThan(db - 15); // ~6 dB per bit
    expect(w2.wSqnr[i]).toBeLessThan(w4.wSqnr[i] ?? 0);
  });
  expect(w4.outputSqnr).toBeLessThan(w8.outputSqnr);
  expect(w2.outputSqnr).toBeLessThan(w4.outputSqnr);
  expect(w2.accuracy).toBeLessThan(w8.accuracy);
  // BN folding is reported.
  await expect(page.getByTestId('quant-summary')).toContainText('bn1 → conv1');
});

test('per-layer sensitivity fills the table, and FP32 overrides change the link', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=cnn&n=200&w=3-sym-pt-minmax');
  await finishedRun(page);
  await page.getByRole('button', { name: 'Per-layer sensitivity' }).click();
  const rows = page.locator('table.layers tbody tr');
  await expect(rows.last().locator('td[data-col="cumulative"]')).not.toHaveText('', {
    timeout: 90_000,
  });
  const cumulative = await rows.last().locator('td[data-col="cumulative"]').textContent();
  expect(cumulative).toBe(await page.getByTestId('quant-accuracy').textContent());
  await page.getByLabel('Keep conv1 weights in FP32').check();
  await expect.poll(() => page.url()).toContain('w.conv1=fp32');
  await finishedRun(page);
  await expect(page.locator('tr[data-node="conv1"] td').nth(3)).toHaveText('fp32');
});

test('encodings download in AIMET layout', async ({ page }) => {
  await openApp(page, 'v=1&model=mlp&n=100');
  await finishedRun(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download encodings (AIMET JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('mlp-encodings.json');
  const file = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
    version: string;
    param_encodings: Record<string, { bitwidth: number; scale: number; offset: number }[]>;
    activation_encodings: Record<string, unknown[]>;
  };
  expect(file.version).toBe('0.6.1');
  const fc1 = file.param_encodings['fc1.kernel'];
  expect(fc1?.length).toBe(128); // per-channel: one entry per output unit
  expect(fc1?.[0]?.bitwidth).toBe(8);
  expect(fc1?.[0]?.offset).toBe(-128); // signed symmetric 8-bit in AIMET's offset convention
  expect(Object.keys(file.activation_encodings)).toContain('input');
});
