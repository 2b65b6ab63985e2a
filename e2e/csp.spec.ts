/**
 * The Content Security Policy (vite.config.ts, docs/security.md) is in force and the app works
 * under it: WASM loads and evaluates, WebGPU on the fallback adapter runs, and no violation is
 * reported by the page or the engine worker; an inline script is refused (the policy is real).
 */
import { expect, test, type Page } from '@playwright/test';
import { evaluateFp32, openApp } from './support/app';

/** Collects securitypolicyviolation events from the page, and CSP console reports (worker too). */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const consoleReports: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) consoleReports.push(m.text());
  });
  await page.addInitScript(() => {
    const list: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = list;
    document.addEventListener('securitypolicyviolation', (e) =>
      list.push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      ),
    );
  });
  return async () => [
    ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)),
    ...consoleReports,
  ];
}

test('the app runs on WASM under the policy with no violation', async ({ page }) => {
  const violations = await watchViolations(page);
  await openApp(page, 'v=1&model=cnn&n=100');
  const meta = page.locator('meta[http-equiv="Content-Security-Policy"]');
  await expect(meta).toHaveAttribute('content', /script-src 'self' 'wasm-unsafe-eval'/);
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  await expect(page.getByTestId('quant-summary')).toHaveAttribute('data-stage', 'done', {
    timeout: 60_000,
  });
  expect((await evaluateFp32(page)).count).toBe(100);
  // A lesson's formula (KaTeX HTML with style attributes) renders under the policy too.
  await page.getByRole('combobox', { name: 'Lesson', exact: true }).selectOption({ index: 1 });
  await expect(page.locator('.lesson-math .katex').first()).toBeVisible();
  expect(await violations()).toEqual([]);
});

test('WebGPU on the fallback adapter runs under the policy with no violation', async ({ page }) => {
  const violations = await watchViolations(page);
  await openApp(page, 'v=1&model=spiral&backend=webgpu&n=100&cal=64');
  await expect(page.getByTestId('active-backend')).toHaveText('webgpu');
  expect((await evaluateFp32(page)).count).toBe(100);
  expect(await violations()).toEqual([]);
});

test('an inline script is refused and reported', async ({ page }) => {
  const violations = await watchViolations(page);
  await openApp(page, 'v=1&model=mlp&n=16');
  const ran = await page.evaluate(async () => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return '__inlineRan' in window;
  });
  expect(ran).toBe(false);
  expect((await violations()).some((v) => v.startsWith('script-src'))).toBe(true);
});
