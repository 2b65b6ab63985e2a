import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { openApp } from './support/app';

const BASE = 'v=1&model=cnn&n=200&cal=64';
/**
 * 2-bit per-channel weights: the PTQ start is low (77.5% on WASM) and one short epoch lifts it
 * to ~92%, a rise of many test items. At W4A4 (4-sym-pc / 4-sym-pt, 95.5% / 96% start) the
 * same epoch moves accuracy by ±1 item of 200, too little to assert on.
 */
const W2A4 = `${BASE}&w=2-sym-pc-minmax&a=4-asym-pt-minmax`;
const W4A4 = `${BASE}&w=4-sym-pc-minmax&a=4-asym-pt-minmax`;

const panel = (page: Page) => page.getByRole('region', { name: 'Quantization-aware training' });
const numberAttr = async (l: Locator, name: string) => Number(await l.getAttribute(name));

/** Waits for the automatic PTQ run of the opened link, so QAT does not share the worker with it. */
async function ptqDone(page: Page): Promise<string | null> {
  const summary = page.getByTestId('quant-summary');
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 60_000 });
  return summary.getAttribute('data-link');
}

/** 1 epoch of 640 images at batch 32 (20 steps), Adam at 1e-3, set through the controls. */
async function setShortQat(page: Page) {
  const p = panel(page);
  await p.getByLabel('Epochs').fill('1');
  await p.getByLabel('Train images per epoch').selectOption('640');
  await p.getByLabel('Batch size').selectOption('32');
  await p.getByLabel('Learning rate').fill('0.001');
  await expect.poll(() => page.url()).toContain('qat=1ep-b32-adam0.001-t640');
}

test('QAT: live curves, pause and resume, test accuracy rises above the PTQ start', async ({
  page,
}) => {
  await openApp(page, W2A4);
  const ptqLink = await ptqDone(page);
  await setShortQat(page);
  const p = panel(page);
  const summary = page.getByTestId('qat-summary');
  const loss = page.getByTestId('qat-loss');
  await p.getByRole('button', { name: 'Train', exact: true }).click();
  await expect.poll(() => numberAttr(loss, 'data-points'), { timeout: 30_000 }).toBeGreaterThan(1);
  await expect(page.getByTestId('qat-train-accuracy')).not.toHaveAttribute('data-points', '0');

  await p.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'paused');
  await expect(summary).toHaveAttribute('data-phase', 'paused'); // the engine holds it
  const held = await numberAttr(summary, 'data-steps');
  expect(held).toBeLessThan(20);
  await page.waitForTimeout(1000);
  expect(await numberAttr(summary, 'data-steps')).toBe(held);
  expect(await numberAttr(loss, 'data-points')).toBe(held);

  await p.getByRole('button', { name: 'Resume' }).click();
  await expect(summary).toHaveAttribute('data-status', 'done', { timeout: 45_000 });
  const ptqStart = await numberAttr(page.getByTestId('qat-ptq-start'), 'data-value');
  const after = page.getByTestId('qat-test-accuracy');
  await expect(after).toHaveAttribute('data-epoch', '1');
  const qat = await numberAttr(after, 'data-value');
  test.info().annotations.push({
    type: 'measured',
    description: `cnn W2A4, 200 test items: PTQ start ${ptqStart}, after 1 epoch ${qat}`,
  });
  expect(qat).toBeGreaterThan(ptqStart + 0.05);
  await expect(after).toHaveText(`${(qat * 100).toFixed(2)}%`);
  await expect(loss).toHaveAttribute('data-points', '20');
  await expect(page.getByTestId('qat-test-curve')).toHaveAttribute('data-points', '2');
  await expect(page.getByTestId('qat-weight-sqnr')).toHaveAttribute('data-points', '2');
  expect(
    await numberAttr(page.getByTestId('qat-ranges-activations'), 'data-points'),
  ).toBeGreaterThan(2);
  // The run is that of the share link; the QAT settings alone did not re-run PTQ.
  expect(await summary.getAttribute('data-link')).toBe(new URL(page.url()).hash.slice(1));
  expect(await page.getByTestId('quant-summary').getAttribute('data-link')).toBe(ptqLink);

  // The trained model downloads as a TF.js Layers model plus its learned encodings.
  const files = new Map<string, string>();
  const saved: Promise<void>[] = [];
  page.on('download', (d) => {
    saved.push(
      d.path().then((path) => {
        files.set(d.suggestedFilename(), readFileSync(path, 'utf8'));
      }),
    );
  });
  await p.getByRole('button', { name: 'Download trained model' }).click();
  await expect.poll(() => saved.length).toBe(3);
  await Promise.all(saved);
  const model = JSON.parse(files.get('cnn-qat-model.json') ?? '{}') as {
    format?: string;
    weightsManifest?: { paths: string[] }[];
  };
  expect(model.format).toBe('layers-model');
  expect(model.weightsManifest?.[0]?.paths).toEqual(['weights.bin']);
  expect(files.has('weights.bin')).toBe(true);
  const enc = JSON.parse(files.get('cnn-qat-encodings.json') ?? '{}') as {
    param_encodings?: Record<string, { bitwidth: number }[]>;
    activation_encodings?: Record<string, { bitwidth: number }[]>;
  };
  expect(enc.param_encodings?.['conv1.kernel']?.[0]?.bitwidth).toBe(2);
  expect(enc.param_encodings?.['conv1.kernel']).toHaveLength(16); // per channel
  expect(enc.activation_encodings?.['conv1']?.[0]?.bitwidth).toBe(4);
});

test('QAT: cancel stops training; switching the model cancels it with a notice', async ({
  page,
}) => {
  await openApp(page, W4A4);
  await ptqDone(page);
  const p = panel(page);
  await p.getByLabel('Epochs').fill('1'); // the whole train split: far longer than this test
  const summary = page.getByTestId('qat-summary');
  const train = p.getByRole('button', { name: 'Train', exact: true });
  await train.click();
  await expect(p.getByLabel('Epochs')).toBeDisabled(); // settings are locked while training
  await expect
    .poll(() => numberAttr(summary, 'data-steps'), { timeout: 30_000 })
    .toBeGreaterThan(0);
  await p.getByRole('button', { name: 'Cancel' }).click();
  await expect(summary).toHaveAttribute('data-status', 'cancelled');
  const stopped = await numberAttr(summary, 'data-steps');
  await page.waitForTimeout(1000);
  expect(await numberAttr(summary, 'data-steps')).toBe(stopped);
  await expect(page.getByTestId('qat-test-accuracy')).toHaveAttribute('data-epoch', '0');
  await expect(train).toBeEnabled();

  await train.click();
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'running');
  await page.locator('.zoo-card[data-model="mlp"]').click();
  await expect(page.getByRole('alert')).toContainText(
    'QAT was cancelled: the model changed to mlp.',
  );
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'idle');
  await expect(summary).toHaveCount(0);
});
