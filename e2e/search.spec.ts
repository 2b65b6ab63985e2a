import { expect, test } from '@playwright/test';
import { openApp } from './support/app';

/**
 * Mixed-precision search in the app on mlp with small sets (256 calibration images, 200 test
 * items) and candidates W{8, 4, 2} A{8, 4}: the Pareto chart shows every evaluated point, and
 * clicking a front point applies its per-layer overrides to the config and the share link.
 */
test('mlp: search draws the Pareto chart; clicking a point applies its config', async ({
  page,
}) => {
  await openApp(page, 'v=1&model=mlp&n=200&cal=256');
  const panel = page.getByTestId('search');
  await panel.getByRole('button', { name: 'Search bit-widths' }).click();
  await expect(panel).toHaveAttribute('data-status', 'done', { timeout: 80_000 });
  await expect(page.getByTestId('search-summary')).toHaveAttribute('data-stage', 'done');

  const chart = page.getByTestId('pareto-chart');
  const points = Number(await chart.getAttribute('data-points'));
  const front = Number(await chart.getAttribute('data-front'));
  // Baseline, 6 uniform configs, 3×2 + 4×1 sensitivity runs, then the descent.
  expect(points).toBeGreaterThan(12);
  expect(front).toBeGreaterThan(1);
  // Every evaluated point is drawn once (front and the rest), plus the chosen marker.
  await expect(chart.locator('circle[data-kind="point"], circle[data-kind="front"]')).toHaveCount(
    points,
  );
  await expect(chart.locator('circle[data-kind="front"]')).toHaveCount(front);
  await expect(chart.locator('circle[data-kind="chosen"]')).toHaveCount(1);
  // Before any click the config is the W8A8 baseline, marked as current.
  await expect(chart.locator('circle[data-kind="current"]')).toHaveAttribute('data-key', /^[8.]+$/);
  // The cost is shown beside the accuracy in the results summary.
  await expect(page.getByTestId('quant-cost')).toContainText('BOPs');

  // Click the cheapest front point that is not the baseline.
  const target = chart.locator('circle[data-kind="front"]').first();
  const key = (await target.getAttribute('data-key')) ?? '';
  expect(key).not.toMatch(/^[8.]+$/);
  const before = new URL(page.url()).hash;
  await target.click({ force: true });
  await expect(chart.locator('circle[data-kind="current"]')).toHaveAttribute('data-key', key);
  await expect.poll(() => new URL(page.url()).hash).not.toBe(before);
  const hash = new URL(page.url()).hash;
  // Its bits appear as per-layer overrides or new global bit-widths in the share link.
  expect(hash).toMatch(/[&#](w|a)(\.[a-z0-9_]+)?=[24]-/);
  await expect(page.getByTestId('search-front').locator(`tr[data-key="${key}"]`)).toHaveClass(
    /selected/,
  );
  // The quantization re-runs with the applied config; its cost line follows the new bits.
  const summary = page.getByTestId('quant-summary');
  await expect(summary).toHaveAttribute('data-link', hash.slice(1), { timeout: 60_000 });
});
