/** Helpers for specs that drive the app as a person would. */
import { expect, type Page } from '@playwright/test';

/** Opens the app at a share link hash and waits for the engine and the zoo. */
export async function openApp(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash ? `#${hash}` : ''}`);
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-status', 'ready', {
    timeout: 60_000,
  });
  await expect(page.locator('.zoo-card').first()).toBeVisible();
}

/** Clicks Evaluate FP32 and waits for the result; returns the shown accuracy and count. */
export async function evaluateFp32(page: Page): Promise<{ accuracy: number; count: number }> {
  await page.getByRole('button', { name: 'Evaluate FP32' }).click();
  const result = page.getByTestId('fp32-result');
  await expect(result).toBeVisible({ timeout: 90_000 });
  return {
    accuracy: Number(await result.getAttribute('data-accuracy')),
    count: Number(await result.getAttribute('data-count')),
  };
}
