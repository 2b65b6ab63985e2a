/**
 * The main views at 1280x720 (a projector): each is saved as a full-viewport screenshot in
 * test-results/screenshots/ for a person to look at, and checked for what a person would notice
 * first: a horizontal scrollbar, key controls off screen or overlapping, text cut off.
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app';
import { expectCleanLayout, VIEWPORT } from './support/layout';

test.use({ viewport: VIEWPORT });

const DIR = 'test-results/screenshots';

async function finishedRun(page: Page): Promise<void> {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 60_000 });
}

/** Scrolls `selector` to the top of the viewport (as a person would) and lets layout settle. */
async function scrollTo(page: Page, selector: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${DIR}/${name}.png` });

test('cnn views: start page, layer table with histogram, PTQ and QAT panels', async ({ page }) => {
  await openApp(
    page,
    'v=1&model=cnn&n=200&backend=wasm&w=4-sym-pc-minmax&qat=1ep-b32-adam0.001-t128',
  );
  await shot(page, '1-start');
  await expectCleanLayout(page, [
    '.toolbar h1',
    'select[aria-label="Backend"]',
    '.zoo-card:nth-child(1)',
    '.zoo-card:nth-child(2)',
    '.zoo-card:nth-child(3)',
    '.zoo-card:nth-child(4)',
    '.zoo-card:nth-child(5)',
  ]);

  await finishedRun(page);
  await page.getByRole('button', { name: 'Show charts for conv2' }).click();
  await expect(page.getByTestId('weight-histogram')).toBeVisible();
  await scrollTo(page, '.quant-summary');
  await shot(page, '2-cnn-result');
  await expectCleanLayout(page, [
    '[data-testid="quant-accuracy"]',
    '.run-export',
    'table.layers thead',
    'tr[data-node="conv2"] .layer-name',
  ]);
  await scrollTo(page, '[data-testid="layer-inspector"], .charts');
  await shot(page, '3-cnn-histogram');
  await expectCleanLayout(page, [
    '[data-testid="weight-histogram"] figcaption',
    '[data-testid="weight-histogram"] svg',
    '[data-testid="weight-histogram"] .png-button',
  ]);

  await scrollTo(page, '[data-testid="quantizer-weights"]');
  await shot(page, '4-ptq-panel');
  await expectCleanLayout(page, [
    '[data-testid="quantizer-weights"]',
    '[data-testid="quantizer-activations"]',
    '[data-testid="ptq-controls"]',
    'input[aria-label="AdaRound"]',
    'input[aria-label="Cross-layer equalization"]',
  ]);

  await scrollTo(page, 'section[aria-label="Quantization-aware training"]');
  await shot(page, '5-qat-panel');
  await expectCleanLayout(page, [
    '[data-testid="qat-settings"]',
    'select[aria-label="Batch size"]',
    'select[aria-label="Optimizer"]',
    '.qat-buttons',
  ]);
  await expect(page.getByRole('button', { name: 'Train', exact: true })).toBeInViewport();

  // A tiny run (one epoch of 128 images): the summary and the live curves.
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  // The charts redraw at most every 400 ms: wait for the epoch-1 point (epochs 0 and 1).
  await expect(page.getByTestId('qat-test-curve')).toHaveAttribute('data-points', '2');
  await scrollTo(page, '[data-testid="qat-summary"]');
  await shot(page, '6-qat-after-run');
  await expectCleanLayout(page, [
    '[data-testid="qat-test-accuracy"]',
    '.qat-charts figure.chart:nth-child(1) figcaption',
    '.qat-charts figure.chart:nth-child(2) figcaption',
  ]);
});

test('spiral: FP32 and quantized decision boundaries side by side', async ({ page }) => {
  await openApp(page, 'v=1&model=spiral&n=200&backend=wasm&w=3-sym-pt-minmax');
  await finishedRun(page);
  await expect(page.getByTestId('boundary-quantized').locator('canvas')).toHaveAttribute(
    'data-drawn',
    'true',
  );
  await scrollTo(page, '[data-testid="boundaries"]');
  await page.evaluate(() => window.scrollBy(0, -40)); // the heading above it too
  await shot(page, '7-spiral-boundaries');
  await expectCleanLayout(page, [
    '[data-testid="boundary-fp32"] canvas',
    '[data-testid="boundary-quantized"] canvas',
    '[data-testid="boundary-fp32"] .png-button',
    '[data-testid="boundary-quantized"] .png-button',
  ]);
});
