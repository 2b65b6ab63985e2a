/**
 * Every lesson opened from its link on WASM: the lesson's stated outcome is reached on the
 * numbers measured in this run (the ✓ and its figures), each cross-checked against an
 * independent place on the page (layer table, summary, PTQ ladder, debug report, boundaries).
 * One page for all lessons (a hash change opens the next), so the engine starts once.
 */
import { expect, test, type Page } from '@playwright/test';
import { LESSON_IDS, LESSON_LINKS, type LessonId } from '../src/config/lessons';
import { openApp } from './support/app';

type Values = Record<string, number>;

/** Lessons whose outcome compares the lesson's run with its "try this" run. */
const NEEDS_TRY = new Set<LessonId>(['3', '12']);
const JOB: Partial<Record<LessonId, string>> = {
  '9': 'Train (QAT)',
  '11': 'Run the debugging flow',
};

const num = async (page: Page, selector: string, attr: string) =>
  Number(await page.locator(selector).first().getAttribute(attr));
const cell = async (page: Page, node: string, col: string) =>
  Number(await page.locator(`tr[data-node="${node}"] td[data-col="${col}"]`).textContent());
const ladder = (page: Page, step: string) =>
  num(page, `.ptq-report tr[data-step="${step}"] td[data-col="accuracy"]`, 'data-value');

/** Cross-checks of a lesson's measured figures against the page, before "try this". */
const BEFORE_TRY: Partial<Record<LessonId, (page: Page, v: Values) => Promise<void>>> = {
  '1': async (page, v) => {
    expect(Math.abs((v['sqnr8'] ?? NaN) - (await cell(page, 'fc1', 'w-sqnr')))).toBeLessThan(0.06);
  },
  '4': async (page, v) => {
    expect(await num(page, '[data-testid="clip-curve"]', 'data-best-at')).toBeCloseTo(
      v['bestAt'] ?? NaN,
      9,
    );
  },
  '5': async (page) => {
    await expect(page.getByTestId('quant-summary')).toContainText('dw1_bn → dw1');
  },
  '6': async (page) => {
    expect(await ladder(page, 'cle')).toBe(
      await num(page, '[data-testid="quant-accuracy"]', 'data-value'),
    );
  },
  '7': async (page, v) => {
    const gain = ((await ladder(page, 'bias-correction')) - (await ladder(page, 'baseline'))) * 100;
    expect(gain).toBeCloseTo(v['gain'] ?? NaN, 6);
  },
  '8': async (page, v) => {
    expect(await ladder(page, 'adaround')).toBe(v['adaround']);
  },
  '9': async (page, v) => {
    expect(await num(page, '[data-testid="qat-test-accuracy"]', 'data-value')).toBe(v['qat']);
    expect(await num(page, '[data-testid="qat-ptq-start"]', 'data-value')).toBe(v['ptq']);
  },
  '10': async (page, v) => {
    expect(await num(page, '[data-testid="integer-accuracy"]', 'data-value')).toBe(v['integer']);
    expect(await page.locator('td[data-col="headroom"].overflow').count()).toBeGreaterThan(0);
  },
  '11': async (page) => {
    await expect(page.getByTestId('debug-report')).toHaveAttribute('data-culprit', 'weights');
    const worst = page.getByTestId('debug-quantizers').locator('li').first();
    await expect(worst).toHaveAttribute('data-node', 'conv2');
  },
};

/** Cross-checks after "try this" (the summary now shows the tried run). */
const AFTER_TRY: Partial<Record<LessonId, (page: Page, v: Values) => Promise<void>>> = {
  '3': async (page, v) => {
    expect(await num(page, '[data-testid="quant-accuracy"]', 'data-value')).toBe(v['perChannel']);
  },
  '12': async (page, v) => {
    await expect
      .poll(() => num(page, '[data-testid="boundaries"]', 'data-disagreement'))
      .toBeCloseTo(v['differ2'] ?? NaN, 9);
  },
};

let page: Page;
const external: string[] = [];
const timings: string[] = [];

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(u.hostname) && u.protocol.startsWith('http'))
      external.push(r.url());
  });
  await openApp(page, `${LESSON_LINKS['1']}&lesson=1`);
});

test.afterAll(async () => {
  console.log(`lesson times: ${timings.join(', ')}`);
  await page.close();
});

test('presenter mode: larger type, the lesson beside the charts, KaTeX math rendered', async () => {
  await page.goto(`/#${LESSON_LINKS['1']}&lesson=1&present=1`);
  await expect(page.locator('body')).toHaveClass(/presenter/);
  // The lesson picks the model: the zoo gives way to the charts.
  await expect(page.locator('.zoo-card').first()).toBeHidden();
  const lessons = await page.locator('section.lessons').boundingBox();
  const quant = await page.getByRole('region', { name: 'Quantization', exact: true }).boundingBox();
  expect(lessons && quant).toBeTruthy();
  // Side by side: the lesson column ends left of the quantization panel, and they overlap in y.
  expect((lessons?.x ?? 0) + (lessons?.width ?? 0)).toBeLessThanOrEqual((quant?.x ?? 0) + 1);
  expect(lessons?.y ?? 1e9).toBeLessThan((quant?.y ?? 0) + (quant?.height ?? 0));
  await expect(page.locator('.lesson-math .katex').first()).toBeVisible();
  const fontPx = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(fontPx).toBeGreaterThan(16);
  await page.getByLabel('Presenter mode').uncheck();
  await expect(page.locator('body')).not.toHaveClass(/presenter/);
  await expect.poll(() => page.url()).not.toContain('present=1');
});

for (const id of LESSON_IDS) {
  test(`lesson ${id} reaches its stated outcome on WASM`, async () => {
    const t0 = Date.now();
    await page.goto(`/#${LESSON_LINKS[id]}&lesson=${id}`);
    const lesson = page.locator(`[data-testid="lesson"][data-lesson="${id}"]`);
    await expect(lesson).toBeVisible();
    const outcome = lesson.getByTestId('lesson-outcome');
    const job = JOB[id];
    if (job) {
      const button = lesson.getByRole('button', { name: job });
      await expect(button).toBeEnabled({ timeout: 60_000 });
      await button.click();
    }
    const tryButton = lesson.locator('.lesson-try button');
    if (NEEDS_TRY.has(id)) {
      await expect(outcome).toHaveAttribute('data-state', 'pending', { timeout: 60_000 });
      await expect(outcome).toContainText('Try this', { timeout: 60_000 });
      await tryButton.click();
    }
    await expect(outcome).toHaveAttribute('data-state', /pass|fail/, { timeout: 90_000 });
    const text = (await outcome.textContent()) ?? '';
    expect(text, text).toContain('✓');
    await expect(outcome).toHaveAttribute('data-state', 'pass');
    const values = JSON.parse((await outcome.getAttribute('data-values')) ?? '{}') as Values;
    console.log(`lesson ${id}: ${text}`);
    await BEFORE_TRY[id]?.(page, values);
    if (!NEEDS_TRY.has(id)) await tryButton.click();
    await expect(lesson.getByTestId('lesson-moved')).toContainText('→', { timeout: 90_000 });
    console.log(`lesson ${id} ${(await lesson.getByTestId('lesson-moved').textContent()) ?? ''}`);
    await AFTER_TRY[id]?.(page, values);
    timings.push(`${id}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
}

test('an unknown lesson is a named link error; nothing was fetched from outside', async () => {
  await page.goto('/#v=1&model=cnn&backend=wasm&n=100&lesson=99');
  await expect(page.getByRole('alert').filter({ hasText: 'lesson=99' }).first()).toContainText(
    'names no lesson',
  );
  await expect(page.locator('[data-testid="lesson"]')).toHaveCount(0);
  expect(external).toEqual([]);
});
