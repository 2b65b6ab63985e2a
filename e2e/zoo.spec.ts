import { expect, test } from '@playwright/test';
import { evaluateFp32, openApp } from './support/app';

const ZOO = ['mlp', 'cnn', 'dwsep', 'resnet', 'spiral'];

test('the first screen shows the zoo and the backend with its reason', async ({ page }) => {
  await openApp(page);
  await expect(page.locator('.zoo-card')).toHaveCount(ZOO.length);
  for (const id of ZOO) await expect(page.locator(`[data-model="${id}"]`)).toBeVisible();
  // Debian's Chromium with --enable-unsafe-webgpu has only SwiftShader's fallback adapter.
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  await expect(page.getByTestId('backend-reason')).toContainText('software fallback');
});

test('every zoo model reproduces its index FP32 accuracy on WASM', async ({ page }) => {
  await openApp(page);
  for (const id of ZOO) {
    await page.locator(`[data-model="${id}"]`).click();
    await expect(page.locator(`[data-model="${id}"]`)).toHaveAttribute('aria-pressed', 'true');
    const shown = await evaluateFp32(page);
    const indexText = await page.getByTestId(`index-accuracy-${id}`).textContent();
    expect(shown.count, id).toBeGreaterThan(0);
    // The index keeps 2 decimals in the card; the check line compares the exact figure.
    expect(indexText).toContain(`${(shown.accuracy * 100).toFixed(2)}%`);
    await expect(page.getByTestId('index-check')).toHaveText(/^Matches the zoo index/);
  }
});

test('evaluation shows a progress bar and can run on a subset', async ({ page }) => {
  await openApp(page, 'v=1&model=cnn');
  await page.getByLabel('Test items').selectOption('500');
  await page.getByRole('button', { name: 'Evaluate FP32' }).click();
  await expect(page.getByRole('progressbar', { name: 'Evaluation progress' })).toBeVisible();
  const result = page.getByTestId('fp32-result');
  await expect(result).toHaveAttribute('data-count', '500', { timeout: 60_000 });
  const acc = Number(await result.getAttribute('data-accuracy'));
  expect(acc).toBeGreaterThan(0.95);
  expect(page.url()).toContain('n=500');
});
