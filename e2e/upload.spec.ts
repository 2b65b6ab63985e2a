/**
 * "Upload your own model": fixtures are written at test time from the zoo's mlp files (the
 * valid base), then broken one fault at a time. Every broken upload must name its file and
 * fault while mlp stays selected with its result on screen.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApp } from './support/app';

const MLP_DIR = fileURLToPath(new URL('../public/models/mlp/', import.meta.url));
const MLP_JSON = readFileSync(join(MLP_DIR, 'model.json'), 'utf8');
const MLP_WEIGHTS = readFileSync(join(MLP_DIR, 'weights.bin'));
/** The app's limit (src/config/limits.ts), restated: e2e imports no app code but codec.ts. */
const LIMIT = 64 * 1024 * 1024;
const HOSTILE = '<img src=x onerror=alert(1)>.json';
const LINK = 'v=1&model=mlp&n=300';

interface LayerJson {
  name: string;
  class_name: string;
}
const mlpModel = () =>
  JSON.parse(MLP_JSON) as {
    modelTopology: { config: { layers: LayerJson[] } };
    weightsManifest?: unknown;
  };

let root = '';
test.beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'upload-spec-'));
});

/** Writes one fixture's files into its own folder; returns their paths for setInputFiles. */
function fixture(name: string, files: Record<string, string | Buffer>): string[] {
  const dir = join(root, name);
  mkdirSync(dir);
  return Object.entries(files).map(([file, data]) => {
    writeFileSync(join(dir, file), data);
    return join(dir, file);
  });
}

/** A sparse file of `bytes` bytes: costs no disk, and the app refuses it by its size alone. */
function sparse(name: string, file: string, bytes: number): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, file), 'w');
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return join(dir, file);
}

/** Waits until the run of the link in the URL is done; returns what the summary shows. */
async function finishedRun(page: Page) {
  const summary = page.getByTestId('quant-summary');
  const link = new URL(page.url()).hash.slice(1);
  await expect(summary).toHaveAttribute('data-link', link, { timeout: 90_000 });
  await expect(summary).toHaveAttribute('data-stage', 'done', { timeout: 90_000 });
  return {
    link,
    fp32: await page.getByTestId('quant-fp32').textContent(),
    quant: await page.getByTestId('quant-accuracy').getAttribute('data-value'),
  };
}

const uploadInput = (page: Page) => page.getByLabel('Upload your own model');

async function dismissAll(page: Page) {
  const dismiss = page.getByRole('button', { name: 'Dismiss' });
  while ((await dismiss.count()) > 0) await dismiss.first().click();
}

test('a valid upload is selected and gives the zoo mlp’s numbers on the same weights', async ({
  page,
}) => {
  await openApp(page, LINK);
  const zoo = await finishedRun(page);
  const started = Date.now();
  await uploadInput(page).setInputFiles(
    fixture('valid', { 'model.json': MLP_JSON, 'weights.bin': MLP_WEIGHTS }),
  );
  const card = page.locator('[data-model="custom-1"]');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  await expect(card).toContainText('uploaded');
  await expect(card).toContainText('model.json');
  await expect(page.locator('.notification.info')).toContainText(
    'the link says model=custom-1, and someone opening it gets the first zoo model',
  );
  await expect.poll(() => page.url()).toContain('model=custom-1');
  // Its test set is the digits' (inferred from its shapes), all 2000 items of it.
  await expect(page.getByLabel('Test items').locator('option').first()).toHaveText('all 2000');
  const mine = await finishedRun(page);
  console.info(`upload → PTQ done in ${Date.now() - started} ms; FP32 ${mine.fp32}`);
  expect(mine.link).toContain('model=custom-1');
  expect(mine.fp32).toBe(zoo.fp32);
  expect(mine.quant).toBe(zoo.quant);
  // A backend change is a new worker; the upload is handed to it and stays selected.
  await page.getByLabel('Backend').selectOption('cpu');
  await expect(page.getByTestId('active-backend')).toHaveText('cpu', { timeout: 60_000 });
  await expect.poll(() => page.url()).toContain('backend=cpu');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  const onCpu = await finishedRun(page);
  expect(onCpu.link).toContain('model=custom-1');
  expect(onCpu.fp32).toBe(zoo.fp32);
});

test('each broken upload names its file and fault; mlp and its result stay', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openApp(page, LINK);
  const before = await finishedRun(page);
  const nan = Buffer.from(MLP_WEIGHTS);
  nan.writeFloatLE(Number.NaN, 40); // element 10 of fc1/kernel, the manifest's first weight
  const noManifest = mlpModel();
  delete noManifest.weightsManifest;
  const elu = mlpModel();
  const relu = elu.modelTopology.config.layers.find((l) => l.name === 'relu1');
  if (relu) relu.class_name = 'ELU'; // a Keras layer TF.js builds but the playground does not
  const cases: [string, string[], string][] = [
    [
      'bad JSON',
      fixture('bad-json', { 'model.json': '{"modelTopology": ', 'weights.bin': MLP_WEIGHTS }),
      'model.json is not valid JSON',
    ],
    [
      'no weightsManifest',
      fixture('no-manifest', { 'model.json': JSON.stringify(noManifest) }),
      'model.json is not a TF.js Layers model: weightsManifest',
    ],
    [
      'missing weight file',
      fixture('missing', { 'model.json': MLP_JSON }),
      'model.json needs the weight file "weights.bin", which was not provided.',
    ],
    [
      'truncated weight file',
      fixture('truncated', { 'model.json': MLP_JSON, 'weights.bin': MLP_WEIGHTS.subarray(0, -4) }),
      `model.json: the weight files (weights.bin) hold ${MLP_WEIGHTS.length - 4} bytes but the manifest describes ${MLP_WEIGHTS.length}.`,
    ],
    [
      'NaN weight',
      fixture('nan', { 'model.json': MLP_JSON, 'weights.bin': nan }),
      'weights.bin: weight "fc1/kernel" holds NaN at element 10',
    ],
    [
      'unsupported layer',
      fixture('elu', { 'elu.json': JSON.stringify(elu), 'weights.bin': MLP_WEIGHTS }),
      'elu.json: Layer "relu1" has type ELU, which the playground does not support.',
    ],
    [
      'oversized',
      [...fixture('huge', { 'model.json': MLP_JSON }), sparse('huge', 'weights.bin', LIMIT)],
      `The files hold ${LIMIT + MLP_JSON.length} bytes in all (largest: "weights.bin"); the limit for an uploaded model is ${LIMIT} bytes (64 MiB).`,
    ],
    [
      'no model.json',
      fixture('no-json', { 'weights.bin': MLP_WEIGHTS }),
      'None of the files ("weights.bin") is a model.json',
    ],
    [
      'hostile file name',
      fixture('hostile', { [HOSTILE]: '{"modelTopology": ' }),
      `${HOSTILE} is not valid JSON`,
    ],
  ];
  for (const [name, files, message] of cases) {
    const started = Date.now();
    await expect(uploadInput(page), name).toBeEnabled();
    await uploadInput(page).setInputFiles(files);
    await expect(page.locator('.notification.error'), name).toContainText(message);
    console.info(`${name}: refused in ${Date.now() - started} ms`);
    await expect(page.locator('[data-model="mlp"]'), name).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('.zoo-card')).toHaveCount(5);
    expect(await finishedRun(page), name).toEqual(before);
    await dismissAll(page);
  }
  await expect(page.locator('.notifications img, .zoo img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('files dropped on the zoo load too, a hostile name shown as text', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await openApp(page, LINK);
  const zoo = await finishedRun(page);
  const files = [
    { name: HOSTILE, base64: Buffer.from(MLP_JSON).toString('base64') },
    { name: 'weights.bin', base64: MLP_WEIGHTS.toString('base64') },
  ];
  // A synthetic drop: the DataTransfer is built in the page from the fixture bytes.
  const transfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, files);
  const zone = page.getByTestId('model-drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(zone).toHaveClass(/drop-over/);
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
  const card = page.locator('[data-model="custom-1"]');
  await expect(card).toHaveAttribute('aria-pressed', 'true');
  await expect(card.locator('.zoo-title')).toHaveText(HOSTILE);
  await expect(page.locator('.notification.info')).toContainText(`Loaded "${HOSTILE}" as custom-1`);
  await expect.poll(() => page.url()).toContain('model=custom-1'); // the URL sync is debounced
  const mine = await finishedRun(page);
  expect(mine.fp32).toBe(zoo.fp32);
  await expect(page.locator('.notifications img, .zoo img, .eval img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('a link naming an upload opens the first zoo model with a notice', async ({ page }) => {
  await openApp(page, 'v=1&model=custom-1&n=300');
  await expect(page.getByRole('alert')).toContainText(
    'The link names "custom-1", an uploaded model: uploads do not travel in share links, so mlp is shown instead.',
  );
  await expect(page.locator('[data-model="mlp"]')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => page.url()).toContain('model=mlp&n=300'); // rewritten by the URL sync
  await finishedRun(page);
});
