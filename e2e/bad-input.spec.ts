import { expect, test } from '@playwright/test';
import { evaluateFp32, openApp } from './support/app';

test('a malformed share link names each bad key and the app keeps working', async ({ page }) => {
  await openApp(page, 'v=1&model=mlp&backend=tpu&n=-5');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('"backend=tpu"');
  await expect(alert).toContainText('"n=-5"');
  // The good key was kept, the bad ones fell back to defaults.
  await expect(page.locator('[data-model="mlp"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  const r = await evaluateFp32(page);
  expect(r.count).toBe(2000);
});

test('hostile text in a link is shown as text, never run as HTML', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openApp(page, `v=1&model=${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
  await expect(page.getByRole('alert')).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.locator('.notifications img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('an unknown link version is refused with its version named', async ({ page }) => {
  await openApp(page, 'v=7&model=mlp');
  await expect(page.getByRole('alert')).toContainText('version "7"');
  await expect(page.locator('[data-model="cnn"]')).toHaveAttribute('aria-pressed', 'true');
});

test('an unknown model id is named and the first model is shown', async ({ page }) => {
  await openApp(page, 'v=1&model=nosuchnet');
  await expect(page.getByRole('alert')).toContainText('"nosuchnet"');
  await expect(page.locator('.zoo-card[aria-pressed="true"]')).toHaveCount(1);
});
