import { expect, test } from '@playwright/test';
import { openApp } from './support/app';

test('a link selects the model and backend; choices are written back to the link', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=resnet&backend=cpu');
  await expect(page.locator('[data-model="resnet"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('active-backend')).toHaveText('cpu');
  await expect(page.getByTestId('backend-reason')).toHaveText('forced by the user');
  await page.locator('[data-model="dwsep"]').click();
  await expect.poll(() => page.url()).toContain('model=dwsep');
  await page.getByLabel('Backend').selectOption('auto');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  await expect.poll(() => page.url()).not.toContain('backend=');
  // Reloading the link restores the same state.
  await page.reload();
  await expect(page.locator('[data-model="dwsep"]')).toHaveAttribute('aria-pressed', 'true');
});
