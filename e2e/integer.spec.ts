import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app';

/** Waits until the run of the URL's settings is done. */
async function finished(page: Page) {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 90_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 90_000 });
  const num = async (id: string, attr = 'data-value') =>
    Number(await page.getByTestId(id).getAttribute(attr));
  const headroom = (await page.locator('td[data-col="headroom"]').allTextContents())
    .filter((t) => t !== '')
    .map(Number);
  return {
    fakeQuant: await num('quant-accuracy'),
    integer: await num('integer-accuracy'),
    agreement: await num('integer-agreement'),
    maxStep: await num('integer-agreement', 'data-max-step'),
    headroom,
  };
}

test('a narrow accumulator overflows on cnn; widening it brings integer = fake quant', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=cnn&n=100&int=16-sat-float');
  await expect(page.getByTestId('accumulator-bits')).toHaveText('16 bits');
  const narrow = await finished(page);
  expect(narrow.headroom.length).toBe(4); // conv1..conv3 + dense head
  expect(Math.min(...narrow.headroom)).toBeLessThan(0);
  await expect(page.locator('td[data-col="headroom"].overflow').first()).toBeVisible();
  const overflow = await page
    .locator('tr[data-node="conv1"] td[data-col="overflow"]')
    .textContent();
  expect(parseFloat(overflow ?? '0')).toBeGreaterThan(0);
  expect(narrow.integer).toBeLessThan(narrow.fakeQuant - 0.03);

  await page.getByLabel('Accumulator bits').fill('32');
  await expect.poll(() => page.url()).toContain('int=32-sat-float');
  const wide = await finished(page);
  expect(Math.min(...wide.headroom)).toBeGreaterThan(0);
  expect(wide.integer).toBeCloseTo(wide.fakeQuant, 5);
  expect(wide.agreement).toBeGreaterThanOrEqual(0.999);
  expect(wide.maxStep).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('integer-summary')).toContainText('32-bit accumulator');
});
