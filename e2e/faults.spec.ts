/**
 * Engine faults in the real app (issue 9), injected through the test-only hooks that `?test-hooks`
 * installs (src/testHooks.ts): a crashed worker, or one that stops answering the heartbeat, is
 * reported and replaced; a lost WebGPU device (the fallback adapter, a tiny spiral case) hands
 * the run to WASM, which finishes it.
 */
import { expect, test, type Page } from '@playwright/test';
import { evaluateFp32 } from './support/app';

async function openWithHooks(page: Page, hash: string, query = ''): Promise<void> {
  await page.goto(`/?test-hooks${query}#${hash}`);
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-status', 'ready', {
    timeout: 60_000,
  });
}

const fault = (page: Page, kind: 'crash' | 'lose-device' | 'hang') =>
  page.evaluate((k) => window.__playgroundTest?.fault(k), kind);

test('a worker crash is reported by name, a new worker starts, and the next run succeeds', async ({
  page,
}) => {
  await openWithHooks(page, 'v=1&model=mlp&n=500');
  await fault(page, 'crash');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/The engine worker crashed \(.*simulated worker crash\)/);
  await expect(alert).toContainText('a new one was started');
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  const r = await evaluateFp32(page);
  expect(r.count).toBe(500);
});

test('a worker crash during QAT names the stopped job, leaves nothing spinning, and QAT runs again', async ({
  page,
}) => {
  // QAT yields between steps, so the crash lands in the middle of training.
  await openWithHooks(page, 'v=1&model=mlp&n=100&cal=64&qat=1ep-b16-adam0.001-t640');
  await expect(page.getByTestId('quant-summary')).toHaveAttribute('data-stage', 'done', {
    timeout: 60_000,
  });
  const qat = page.getByRole('region', { name: 'Quantization-aware training' });
  await qat.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('qat-train-accuracy')).not.toHaveAttribute('data-points', '0');
  await fault(page, 'crash');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    /The engine worker crashed \(.*\); a new one was started\. Stopped: [^;]*QAT/,
  );
  await expect(alert).toContainText('QAT was cancelled: the engine worker crashed.');
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'idle');
  await expect(qat.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await qat.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('qat-summary')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  const r = await evaluateFp32(page);
  expect(r.count).toBe(100);
});

test('a worker that stops answering during QAT is ended, reported and replaced; QAT runs again', async ({
  page,
}) => {
  // hang-ms: the heartbeat's limit (worker/heartbeat.ts, 60 s in the app) shortened for the test.
  await openWithHooks(
    page,
    'v=1&model=mlp&n=100&cal=64&qat=1ep-b16-adam0.001-t640',
    '&hang-ms=3000',
  );
  await expect(page.getByTestId('quant-summary')).toHaveAttribute('data-stage', 'done', {
    timeout: 60_000,
  });
  const qat = page.getByRole('region', { name: 'Quantization-aware training' });
  await qat.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('qat-train-accuracy')).not.toHaveAttribute('data-points', '0');
  await fault(page, 'hang');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(
    /The engine worker crashed \(it stopped answering for [3-6] s\); a new one was started\. Stopped: [^;]*QAT/,
    { timeout: 15_000 },
  );
  await expect(page.getByTestId('active-backend')).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('qat-status')).toHaveAttribute('data-status', 'idle');
  await qat.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByTestId('qat-summary')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  expect((await evaluateFp32(page)).count).toBe(100);
});

test('WebGPU device loss mid-evaluation: WASM takes over, the user is told, the run finishes', async ({
  page,
}) => {
  await openWithHooks(page, 'v=1&model=spiral&backend=webgpu&n=all&cal=64');
  await expect(page.getByTestId('active-backend')).toHaveText('webgpu');
  await page.getByRole('button', { name: 'Evaluate FP32' }).click();
  await fault(page, 'lose-device');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/The webgpu device was lost \([^)]*\); switched to WASM\./);
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  const result = page.getByTestId('fp32-result');
  await expect(result).toContainText('on wasm');
  // The same test split as a plain WASM evaluation of the link.
  const count = Number(await result.getAttribute('data-count'));
  const accuracy = Number(await result.getAttribute('data-accuracy'));
  await page.goto('/#v=1&model=spiral&backend=wasm&n=all&cal=64');
  await expect(page.getByTestId('active-backend')).toHaveText('wasm');
  const direct = await evaluateFp32(page);
  expect(direct).toEqual({ count, accuracy });
});
