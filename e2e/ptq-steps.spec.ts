import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app';

/** Waits until the run of the link now in the URL is done. */
async function finished(page: Page) {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 120_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 120_000 });
}

const stepAccuracy = async (page: Page, step: string) =>
  Number(
    await page
      .locator(`table[aria-label="PTQ steps"] tr[data-step="${step}"] td[data-col="accuracy"]`)
      .getAttribute('data-value'),
  );

/** "…(spread 131.7× → 3.8×)" → [131.7, 3.8]. */
async function spread(page: Page, node: string): Promise<number[]> {
  const caption = await page.locator(`[data-testid="cle-ranges"][data-node="${node}"] figcaption`);
  const m = /spread ([\d.]+)× → ([\d.]+)×/.exec((await caption.textContent()) ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [];
}

test('CLE on dwsep per-tensor W8A8: the step table and the per-channel range charts show the fix', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=dwsep&n=300&cal=128&w=8-sym-pt-minmax');
  await finished(page);
  const before = Number(await page.getByTestId('quant-accuracy').getAttribute('data-value'));
  await page.getByLabel('Cross-layer equalization').check();
  await expect.poll(() => page.url()).toContain('ptq=cle');
  await finished(page);
  // The ladder: the baseline is the run before CLE; CLE recovers > 8 points (measured 85 → 98%).
  expect(await stepAccuracy(page, 'baseline')).toBe(before);
  const cle = await stepAccuracy(page, 'cle');
  expect(cle).toBeGreaterThan(before + 0.08);
  expect(Number(await page.getByTestId('quant-accuracy').getAttribute('data-value'))).toBe(cle);
  // Paper Fig. 5: the depthwise channel ranges, ~130x apart after BN folding, are evened out.
  for (const dw of ['dw1', 'dw2']) {
    const [from, to] = await spread(page, dw);
    expect(from).toBeGreaterThan(70);
    expect(to).toBeLessThan(5);
  }
  // Reload: the link alone reproduces the same numbers.
  await page.reload();
  await finished(page);
  expect(await stepAccuracy(page, 'cle')).toBe(cle);
});

test('standard PTQ pipeline on cnn W4: AdaRound lowers every layer loss live, bias correction the shift', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=cnn&n=200&cal=64&w=4-sym-pc-minmax');
  await finished(page);
  await page.getByRole('button', { name: 'Standard PTQ pipeline' }).click();
  await page.getByLabel('AdaRound iterations').fill('80');
  await expect.poll(() => page.url()).toContain('ptq=ar80-bce');
  expect(page.url()).toContain('w=4-sym-pc-mse'); // the preset's MSE weight ranges
  // While it runs, the loss chart is already drawn (the layer being optimised included).
  await expect(page.getByTestId('adaround-loss')).toBeVisible({ timeout: 60_000 });
  await finished(page);
  await expect(page.getByTestId('adaround-loss')).toHaveAttribute('data-layers', '4');
  const rows = page.locator('table[aria-label="AdaRound per layer"] tbody tr');
  await expect(rows).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    const row = rows.nth(i);
    const nearest = Number(
      await row.locator('[data-col="nearest-mse"]').getAttribute('data-value'),
    );
    const ada = Number(await row.locator('[data-col="adaround-mse"]').getAttribute('data-value'));
    expect(ada).toBeLessThan(nearest);
  }
  const bc = page.locator('table[aria-label="Bias correction per layer"] tbody tr');
  await expect(bc).toHaveCount(4);
  for (let i = 0; i < 4; i++) {
    const row = bc.nth(i);
    const b = Number(await row.locator('[data-col="shift-before"]').getAttribute('data-value'));
    const a = Number(await row.locator('[data-col="shift-after"]').getAttribute('data-value'));
    expect(a).toBeLessThan(b);
  }
  const steps = await page
    .locator('table[aria-label="PTQ steps"] tbody tr')
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-step')));
  expect(steps).toEqual(['baseline', 'adaround', 'bias-correction']);
});

test('the debugging flow on dwsep per-tensor W8 blames the weights and its CLE link fixes it', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=dwsep&n=200&cal=64&w=8-sym-pt-minmax');
  await finished(page);
  await page.getByRole('button', { name: 'Debug this quantization' }).click();
  const report = page.getByTestId('debug-report');
  await expect(report).toHaveAttribute('data-culprit', 'weights', { timeout: 120_000 });
  await expect(page.getByTestId('debug-sanity')).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('debug-quantizers').locator('li').first()).toHaveAttribute(
    'data-kind',
    'weights',
  );
  await expect(page.getByTestId('debug-quantizers').locator('li').first()).toContainText(
    'depthwiseConv2d',
  );
  const cle = page.getByTestId('debug-suggestions').locator('li', { hasText: 'cross-layer' });
  await cle.getByRole('link', { name: 'apply' }).click();
  await expect.poll(() => page.url()).toContain('ptq=cle-ba');
  await expect(page.getByLabel('Cross-layer equalization')).toBeChecked();
  await finished(page);
  expect(await stepAccuracy(page, 'cle')).toBeGreaterThan(
    (await stepAccuracy(page, 'baseline')) + 0.05,
  );
});
