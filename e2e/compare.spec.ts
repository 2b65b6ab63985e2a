import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app';

const LINK = 'v=1&model=mlp&backend=wasm&n=200&cal=128';

/** Waits until the run of the settings in the URL is done. */
async function finishedRun(page: Page): Promise<string> {
  const summary = page.getByTestId('quant-summary');
  await expect.poll(() => page.evaluate(() => window.location.hash)).not.toBe('');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 60_000 });
  return link;
}

/** The table's numbers of one column, by node ('' cells as NaN). */
async function column(page: Page, col: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const tr of await page.locator('table.layers tbody tr').all()) {
    const text = (await tr.locator(`td[data-col="${col}"]`).textContent()) ?? '';
    out[(await tr.getAttribute('data-node')) ?? ''] = text === '' ? NaN : Number(text);
  }
  return out;
}

async function setWeightBits(page: Page, bits: number) {
  await page.getByLabel('Weights bits').fill(String(bits));
  await expect.poll(() => page.url()).toContain(`w=${bits}-sym-pc-minmax`);
}

test('pin 8 bits, run 4 bits: baseline beside current with negative deltas; overrides; copy link', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openApp(page, LINK);
  const link8 = await finishedRun(page);
  const w8 = await column(page, 'w-sqnr');
  expect(Object.values(w8).filter(Number.isFinite).length).toBe(3); // fc1, fc2, logits
  await page.getByRole('button', { name: 'Pin as baseline' }).click();
  const summary = page.getByTestId('baseline-summary');
  await expect(summary).toHaveAttribute('data-link', link8);
  await expect(page.getByTestId('baseline-link')).toHaveAttribute('href', `#${link8}`);
  const acc8 = Number(await page.getByTestId('baseline-accuracy').getAttribute('data-value'));

  await setWeightBits(page, 4);
  await finishedRun(page);
  const w4 = await column(page, 'w-sqnr');
  const base = await column(page, 'w-sqnr-base');
  for (const [node, db8] of Object.entries(w8)) {
    if (!Number.isFinite(db8)) continue;
    const cell = page.locator(`tr[data-node="${node}"] td[data-col="w-sqnr-delta"]`);
    const d = Number(await cell.getAttribute('data-value'));
    expect(base[node]).toBe(db8); // the pinned figure, unchanged
    expect(w4[node]).toBeLessThan(db8 - 15); // about 6 dB per bit (paper 2.2)
    expect(d).toBeLessThan(-15);
    expect(Math.abs(d - ((w4[node] ?? NaN) - db8))).toBeLessThanOrEqual(0.1);
    await expect(cell).toHaveClass(/worse/);
    await expect(cell).toContainText('−');
  }
  // The SQNR chart draws baseline bars beside the current ones, with the same numbers.
  const fig = page.getByTestId('sqnr-by-layer');
  await expect(fig).toHaveAttribute('data-baseline', 'true');
  const bars = JSON.parse((await fig.getAttribute('data-values')) ?? '[]') as {
    node: string;
    baseWeights: number | null;
    deltaWeights: number | null;
  }[];
  for (const b of bars)
    if (b.baseWeights !== null)
      expect(Math.abs(b.baseWeights - (w8[b.node] ?? NaN))).toBeLessThan(0.051);
  const acc4 = Number(await page.getByTestId('current-accuracy').getAttribute('data-value'));
  const dAcc = Number(await page.getByTestId('accuracy-delta').getAttribute('data-value'));
  expect(dAcc).toBeCloseTo(acc4 - acc8, 12);
  await expect(page.getByTestId('accuracy-by-layer')).toHaveAttribute(
    'data-baseline-quantized',
    String(acc8),
  );

  // Per-layer override: fc2 at 2 bits (the global scheme kept), fc1's weights in FP32.
  await page.getByLabel('Bits for fc2 weights').selectOption('2');
  await expect.poll(() => page.url()).toContain('w.fc2=2-sym-pc-minmax');
  await page.getByLabel('Keep fc1 weights in FP32').check();
  await expect.poll(() => page.url()).toContain('w.fc1=fp32');
  await finishedRun(page);
  const fc2 = page.locator('tr[data-node="fc2"]');
  await expect(fc2).toHaveAttribute('data-overridden', 'true');
  await expect(page.locator('tr[data-node="logits"]')).toHaveAttribute('data-overridden', 'false');
  await expect(fc2.locator('td').nth(3)).toHaveText('2-sym-pc-minmax');
  const w2 = await column(page, 'w-sqnr');
  expect(w2['fc2']).toBeLessThan((w4['fc2'] ?? NaN) - 6);
  expect(w2['logits']).toBeCloseTo(w4['logits'] ?? NaN, 1); // untouched layer, same SQNR
  expect(await page.locator('tr[data-node="fc1"] td').nth(3).textContent()).toBe('fp32');
  expect(['', '∞']).toContain(
    await page.locator('tr[data-node="fc1"] td[data-col="w-sqnr"]').textContent(),
  );
  await page.getByRole('button', { name: 'Reset fc2 overrides' }).click();
  await expect.poll(() => page.url()).not.toContain('w.fc2=');
  await expect(fc2).toHaveAttribute('data-overridden', 'false');
  expect(page.url()).toContain('w.fc1=fp32');

  // Copy link: the clipboard holds the page's link.
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByTestId('share-status')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(page.url());

  await page.getByRole('button', { name: 'Clear baseline' }).click();
  await expect(summary).toHaveCount(0);
  await expect(page.locator('td[data-col="w-sqnr-base"]')).toHaveCount(0);
});

test('hide= drops the named control groups, names an unknown one; copy-link fallback field', async ({
  page,
}) => {
  // No Clipboard API (as on an insecure origin): the link is shown to copy by hand.
  await page.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }),
  );
  const hide = 'backend,seed,ptq,qat,upload,int,overrides';
  await page.goto(`/#${LINK}&hide=${hide},nope`);
  // The link is rewritten without the unknown name, in canonical order.
  await expect.poll(() => page.url()).toContain('hide=upload,backend,int,ptq,seed,overrides,qat');
  await finishedRun(page);
  await expect(page.getByRole('alert')).toContainText('"hide=nope" names no control group');
  for (const gone of [
    page.getByLabel('Backend'),
    page.getByLabel('Seed'),
    page.getByTestId('ptq-controls'),
    page.getByTestId('integer-controls'),
    page.getByRole('region', { name: 'Quantization-aware training' }),
    page.getByText('Upload your own model'),
    page.locator('td[data-col="overrides"]'),
  ])
    await expect(gone).toHaveCount(0);
  // The groups not named stay.
  await expect(page.locator('.zoo-card').first()).toBeVisible();
  await expect(page.getByLabel('Weights bits')).toBeVisible();
  await expect(page.getByLabel('Calibration images')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pin as baseline' })).toBeVisible();

  await page.getByRole('button', { name: 'Copy link' }).click();
  const field = page.getByTestId('share-link-field');
  await expect(field).toHaveValue(page.url());
  await expect(page.getByTestId('share-status')).toHaveText('');
});

test('quantizer controls lock while QAT trains and unlock on cancel', async ({ page }) => {
  await openApp(page, `${LINK}&qat=1ep-b64-adam0.0002`);
  await finishedRun(page);
  const bits = page.getByLabel('Weights bits');
  await expect(bits).toBeEnabled();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('quant-locked')).toBeVisible();
  await expect(bits).toBeDisabled();
  await expect(page.getByLabel('Bits for fc2 weights')).toBeDisabled();
  await page
    .getByRole('region', { name: 'Quantization-aware training' })
    .getByRole('button', { name: 'Cancel' })
    .click();
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'cancelled', {
    timeout: 30_000,
  });
  await expect(page.getByTestId('quant-locked')).toHaveCount(0);
  await expect(bits).toBeEnabled();
});
