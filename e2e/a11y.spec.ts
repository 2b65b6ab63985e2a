/**
 * Keyboard and accessibility (issue 7): every control has an accessible name, Tab reaches every
 * control with a visible focus ring, every chart has a text alternative with its numbers, and
 * the charts draw only in Okabe-Ito colours and greys (colour-blind safe).
 */
import { expect, test, type Page } from '@playwright/test';
import { openApp } from './support/app';

const CONTROLS = 'input, select, button, textarea, [role="slider"], [role="checkbox"]';

async function finishedRun(page: Page): Promise<void> {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 60_000 });
}

test.beforeEach(async ({ page }) => {
  await openApp(page, 'v=1&model=cnn&n=200&backend=wasm&w=4-sym-pc-minmax');
  await finishedRun(page);
  await page.getByRole('button', { name: 'Show charts for conv2' }).click();
  await expect(page.getByTestId('weight-histogram')).toBeVisible();
  await expect(page.getByTestId('channel-ranges')).toBeVisible();
});

test('every input, select and button has an accessible name', async ({ page }) => {
  const controls = page.locator(CONTROLS);
  const n = await controls.count();
  expect(n).toBeGreaterThan(40);
  const unnamed: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = controls.nth(i);
    if (!(await c.isVisible())) continue;
    try {
      await expect(c).toHaveAccessibleName(/\S/, { timeout: 500 });
    } catch {
      unnamed.push(await c.evaluate((el) => el.outerHTML.slice(0, 120)));
    }
  }
  expect(unnamed).toEqual([]);
});

test('Tab reaches every control, each with a visible focus ring', async ({ page }) => {
  const ids = await page.evaluate((sel) => {
    let k = 0;
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(`${sel}, [tabindex]`)) {
      const r = el.getBoundingClientRect();
      const hidden =
        r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden';
      const off = el.matches(':disabled') || el.tabIndex < 0;
      if (hidden || off) continue;
      el.dataset['a11y'] = String(k);
      out.push(String(k++));
    }
    return out;
  }, CONTROLS);
  expect(ids.length).toBeGreaterThan(40);
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  const reached = new Set<string>();
  const noRing: string[] = [];
  for (let step = 0; step < ids.length + 30 && reached.size < ids.length; step++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const cs = getComputedStyle(el);
      const ring =
        (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 1) || cs.boxShadow !== 'none';
      return { id: el.dataset['a11y'] ?? '', ring, html: el.outerHTML.slice(0, 80) };
    });
    if (!f) continue;
    if (f.id) reached.add(f.id);
    if (!f.ring) noRing.push(f.html);
  }
  const missed = await page.evaluate(
    (missing) =>
      missing.map(
        (id) => document.querySelector(`[data-a11y="${id}"]`)?.outerHTML.slice(0, 100) ?? id,
      ),
    ids.filter((id) => !reached.has(id)),
  );
  expect(missed).toEqual([]);
  expect(noRing).toEqual([]);
});

test('every chart has a text alternative with its numbers, drawn in Okabe-Ito or grey', async ({
  page,
}) => {
  const report = await page.evaluate(() => {
    const problems: string[] = [];
    const figures = [...document.querySelectorAll('figure.chart')];
    for (const f of figures) {
      const id = f.getAttribute('data-testid') ?? '?';
      if (!f.querySelector(':scope > figcaption')?.textContent?.trim())
        problems.push(`${id}: no caption`);
      const main = [...f.querySelectorAll('svg')].filter(
        (s) => !s.closest('.recharts-legend-wrapper, .png-button'),
      );
      for (const svg of main) {
        const name =
          svg.getAttribute('aria-label') ?? svg.querySelector(':scope > title')?.textContent ?? '';
        const desc = svg.querySelector(':scope > desc')?.textContent ?? '';
        if (!name.trim()) problems.push(`${id}: svg without a name`);
        if (!/\d/.test(`${name} ${desc}`)) problems.push(`${id}: no numbers in "${name} ${desc}"`);
      }
      for (const c of f.querySelectorAll('canvas'))
        if (!c.getAttribute('aria-label')) problems.push(`${id}: canvas without aria-label`);
    }
    const colours = new Set<string>();
    for (const el of document.querySelectorAll('figure.chart svg *'))
      for (const a of ['fill', 'stroke']) {
        const v = el.getAttribute(a);
        if (v) colours.add(v.toLowerCase());
      }
    return { count: figures.length, problems, colours: [...colours] };
  });
  expect(report.count).toBeGreaterThanOrEqual(5);
  expect(report.problems).toEqual([]);
  expect(report.colours).toEqual(expect.arrayContaining(['#0072b2', '#e69f00'])); // it saw the series
  const okabeIto = [
    '#0072b2',
    '#e69f00',
    '#009e73',
    '#d55e00',
    '#cc79a7',
    '#56b4e9',
    '#000000',
    '#000',
  ];
  const grey = (c: string) => {
    const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(c);
    if (!m) return false;
    const h =
      (m[1] ?? '').length === 3 ? [...(m[1] ?? '')].map((x) => x + x).join('') : (m[1] ?? '');
    const rgb = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return Math.max(...rgb) - Math.min(...rgb) <= 16;
  };
  const neutral = /^(none|transparent|currentcolor|url\(.*\)|white|#fff|#ffffff)$/;
  const odd = report.colours.filter((c) => !okabeIto.includes(c) && !grey(c) && !neutral.test(c));
  expect(odd).toEqual([]);
});
