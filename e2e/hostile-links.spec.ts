/**
 * 1,000 hostile share links in the browser (issue 9), driven through `location.hash` (the app
 * listens to hashchange, store/urlSync.ts) rather than page loads. Each must leave a working app
 * that shows exactly the named problems config/codec.ts finds in that link, with no dialog and
 * no element or script injected from the link text; a valid link afterwards gives the same
 * numbers as a fresh page opened on it.
 */
import { expect, test, type Page } from '@playwright/test';
import { decodeConfig, encodeConfig } from '../src/config/codec';
import { openApp } from './support/app';
import { hostileLinks } from './support/hostileLinks';

const CASES = 1000;
const FINAL = 'v=1&model=mlp&n=200&w=4-sym-pt-minmax&a=6-asym-pt-minmax&cal=128';

interface Case {
  hash: string;
  expected: string[];
}
interface Outcome {
  hash: string;
  ok: boolean;
  shown: string[];
  dangerous: number;
  pwned: boolean;
  alive: boolean;
}

/** Runs cases in the page: set the hash, wait until the banner shows the link's problems. */
function drive(page: Page, cases: Case[]): Promise<{ baseline: number; outcomes: Outcome[] }> {
  return page.evaluate(async (list) => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Anything that could run text as code: scripts, frames, images, elements with on* handlers.
    const dangerous = () =>
      document.querySelectorAll('script, iframe, object, embed, img').length +
      [...document.querySelectorAll('*')].filter((el) =>
        [...el.attributes].some((a) => a.name.startsWith('on')),
      ).length;
    const baseline = dangerous();
    const out: Outcome[] = [];
    for (const c of list) {
      const changed = new Promise((r) => window.addEventListener('hashchange', r, { once: true }));
      window.location.hash = c.hash;
      await Promise.race([changed, sleep(500)]);
      // Read before the app rewrites the hash to its canonical form (100 ms later).
      const hash = window.location.hash;
      let shown: string[] = [];
      let ok = false;
      for (let i = 0; i < 100 && !ok; i++) {
        shown = [...document.querySelectorAll('.notification > span')].map(
          (e) => e.textContent ?? '',
        );
        const linkShown = shown.filter((t) => t.startsWith('Share link'));
        ok =
          c.expected.every((m) => shown.includes(m)) &&
          linkShown.every((m) => c.expected.includes(m));
        if (!ok) await sleep(20);
      }
      out.push({
        hash,
        ok,
        shown: ok ? [] : shown,
        dangerous: dangerous(),
        pwned: '__pwned' in window,
        alive: document.querySelector('[data-testid="active-backend"]') !== null,
      });
    }
    return { baseline, outcomes: out };
  }, cases);
}

async function quantNumbers(page: Page, link: string) {
  const summary = page.getByTestId('quant-summary');
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 60_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 60_000 });
  return {
    accuracy: await page.getByTestId('quant-accuracy').getAttribute('data-value'),
    sqnr: await page.getByTestId('output-sqnr').textContent(),
  };
}

test('1,000 hostile links: each named, nothing injected, no dialog, the app keeps working', async ({
  page,
  context,
}) => {
  test.setTimeout(240_000);
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openApp(page, 'v=1&model=mlp&n=100');
  const { baseline } = await drive(page, []);

  // What the page will read back: the browser percent-encodes a fragment as WHATWG URL does.
  const cases: Case[] = hostileLinks(CASES).map((raw) => {
    const hash = new URL(`http://127.0.0.1/#${raw}`).hash;
    return { hash, expected: decodeConfig(hash).problems.map((p) => p.message) };
  });
  // The rest decode to a valid config (unknown keys are ignored, a repeated key's first value
  // wins), which must then show no link error at all.
  expect(cases.filter((c) => c.expected.length > 0).length).toBeGreaterThan(0.8 * CASES);

  const outcomes: Outcome[] = [];
  for (let i = 0; i < cases.length; i += 100) {
    outcomes.push(...(await drive(page, cases.slice(i, i + 100))).outcomes);
  }
  const mismatched = outcomes.filter((o, i) => o.hash !== cases[i]?.hash);
  expect(mismatched.slice(0, 3)).toEqual([]);
  const failed = outcomes
    .map((o, i) => ({ ...o, expected: cases[i]?.expected }))
    .filter((o) => !o.ok);
  expect(failed.slice(0, 3)).toEqual([]);
  expect(outcomes.filter((o) => o.dangerous !== baseline)).toEqual([]);
  expect(outcomes.some((o) => o.pwned || !o.alive)).toBe(false);
  expect(dialogs).toBe(0);

  // A valid link still works, with the numbers a fresh page gives for it.
  const canonical = encodeConfig(decodeConfig(FINAL).config);
  await page.evaluate((h) => (window.location.hash = h), FINAL);
  await expect(page.locator('.notification > span', { hasText: /^Share link/ })).toHaveCount(0);
  const afterFuzz = await quantNumbers(page, canonical);
  const fresh = await context.newPage();
  await openApp(fresh, FINAL);
  expect(await quantNumbers(fresh, canonical)).toEqual(afterFuzz);
  expect(afterFuzz.accuracy).not.toBe('');
});
