/**
 * Headless runs of the same engine the app uses: `npm run cli -- eval --model cnn --config
 * '<share link>' --json`. A shared experiment is re-run here bit for bit (same seed, same
 * calibration images, same encodings) on the WASM or CPU backend.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeConfig } from '../src/config/codec';
import { standardPtqConfig } from '../src/config/ptqPreset';
import type { ExperimentConfig } from '../src/config/schema';
import { useNodeBackend } from '../src/engine/backend/node';
import { modelTraits } from '../src/engine/model/traits';
import { publicDirSource } from '../src/engine/data/nodeSource';
import type { QatResult, QuantResult } from '../src/engine/events';
import { parseAimetFile } from '../src/engine/export/aimetEncodings';
import { WEIGHTS_FILE } from '../src/engine/export/irToLayers';
import { ENCODINGS_FILE, MODEL_FILE, qatExportFiles } from '../src/engine/export/qatExport';
import type { FixedEncodings } from '../src/engine/quantsim/quantSim';
import { EngineSession } from '../src/engine/session';
import { formatQatReport, QAT_USAGE, qatFromFlags, withQat } from './cliQat';
import { formatPtqReport, formatReport } from './cliReport';
import { searchMain } from './cliSearch';

const USAGE = `Usage:
  npm run cli -- eval --model <zoo id | path/to/model.json> [options]
  npm run cli -- ptq  --model <zoo id | path/to/model.json> [PTQ options] [options]
  npm run cli -- qat  --model <zoo id | path/to/model.json> [QAT options] [options]
  npm run cli -- search --model <zoo id> --budget 1 --wbits 2,4,8 --abits 4,8 (search --help)

PTQ options (paper section 3; they add to the link's ptq= steps):
  --standard              the standard PTQ pipeline (paper 3.5): symmetric MSE weights,
                          asymmetric MSE activations, CLE + bias absorption when the model has
                          depthwise layers or weights are per-tensor, AdaRound, bias correction
  --cle                   cross-layer equalization
  --bias-absorption       absorb high biases into the next layer
  --adaround N            AdaRound with N iterations per layer
  --bias-correction MODE  empirical | analytic | off

${QAT_USAGE}
Options:
  --config <link>     a share link, or just its hash part (v=1&w=4-sym-pc-mse&...)
  --backend wasm|cpu  TF.js backend (default wasm)
  --limit N           evaluate only the first N test items
  --sensitivity       also run per-layer and cumulative sensitivity
  --encodings FILE    write the encodings in AIMET's JSON layout to FILE
  --encodings-in FILE use these encodings (AIMET layout, e.g. from qat --out) instead of range
                      setting, for every quantizer they name
  --out DIR           (qat) write the trained model (model.json, weights.bin) and its
                      encodings (encodings.json) to DIR
  --json              print the whole result as JSON
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  // The search command has flags of its own (scripts/cliSearch.ts).
  if (process.argv[2] === 'search') return searchMain(process.argv.slice(3));
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      config: { type: 'string', default: '' },
      backend: { type: 'string', default: 'wasm' },
      limit: { type: 'string' },
      sensitivity: { type: 'boolean', default: false },
      encodings: { type: 'string' },
      'encodings-in': { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean', default: false },
      standard: { type: 'boolean', default: false },
      cle: { type: 'boolean', default: false },
      'bias-absorption': { type: 'boolean', default: false },
      adaround: { type: 'string' },
      'bias-correction': { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string' },
      'fixed-ranges': { type: 'boolean', default: false },
      'keep-bn': { type: 'boolean', default: false },
      'train-limit': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const command = positionals[0];
  if (command !== 'eval' && command !== 'ptq' && command !== 'qat')
    fail(`Unknown command "${command ?? ''}".`);
  if (!values.model) fail('--model is required.');
  if (values.backend !== 'wasm' && values.backend !== 'cpu')
    fail(`--backend must be wasm or cpu, not "${values.backend}".`);

  const hash = values.config.includes('#')
    ? values.config.slice(values.config.indexOf('#') + 1)
    : values.config;
  const { config: linked, problems } = decodeConfig(hash);
  if (problems.length) fail(problems.map((p) => p.message).join('\n'));
  const config: ExperimentConfig = { ...linked, backend: values.backend };
  if (values.limit !== undefined) {
    const n = Number(values.limit);
    if (!Number.isInteger(n) || n < 1)
      fail(`--limit must be a positive integer, not "${values.limit}".`);
    config.evalLimit = n;
  }

  await useNodeBackend(values.backend);
  const session = new EngineSession(publicDirSource(), () => values.backend as 'wasm' | 'cpu');
  if (values.model.endsWith('.json')) {
    const path = resolve(values.model);
    const id = await session.addModelFile(publicDirSource(dirname(path)), basename(path));
    config.model = id;
  } else {
    config.model = values.model;
  }
  if (command === 'ptq') await applyPtqOptions(config, values, session);
  const started = performance.now();
  if (command === 'qat') {
    const qat = qatFromFlags(config.qat, values);
    if (typeof qat === 'string') fail(qat);
    let shown = 0;
    const r = await session.qat(withQat(config, qat), (u) => {
      const s = u.steps.at(-1); // only the steps new since the last event
      if (values.json || !s || s.step === shown || s.step % 25 !== 0) return;
      shown = s.step;
      process.stderr.write(
        `\r${u.progress.phase}: step ${s.step}/${u.head.totalSteps}, loss ${s.loss.toFixed(4)}   `,
      );
    });
    if (!values.json) process.stderr.write('\n');
    if (values.out) await writeQatFiles(values.out, session, r);
    process.stdout.write(
      values.json
        ? `${JSON.stringify({ ...r, config: decodeConfig(r.link).config, totalMillis: performance.now() - started }, null, 2)}\n`
        : formatQatReport(r),
    );
    await session.dispose();
    return;
  }
  const fixed = values['encodings-in'] ? readEncodings(values['encodings-in']) : undefined;
  const result: QuantResult = await session.quantize(config, {
    sensitivity: values.sensitivity,
    ...(fixed ? { fixedEncodings: fixed } : {}),
  });
  const encodings = session.aimetEncodings();
  if (values.encodings && encodings)
    writeFileSync(values.encodings, JSON.stringify(encodings, null, 2) + '\n');
  if (values.json) {
    const normalized = decodeConfig(result.link).config;
    const out = {
      ...result,
      config: normalized,
      encodings,
      totalMillis: performance.now() - started,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    process.stdout.write(formatReport(result));
    if (command === 'ptq') process.stdout.write(`\n${formatPtqReport(result)}`);
  }
  await session.dispose();
}

/** The trained model and its encodings, as the app's download gives them. */
async function writeQatFiles(dir: string, session: EngineSession, r: QatResult): Promise<void> {
  const snapshot = session.lastQatRun()?.snapshot;
  if (!snapshot) fail('QAT finished no epoch, so there is nothing to write.');
  const files = await qatExportFiles(snapshot, {
    model: r.modelId,
    link: r.link,
    fp32Accuracy: r.fp32Accuracy,
    quantAccuracy: r.accuracy,
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MODEL_FILE), files.modelJson);
  writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(files.weightsBin));
  writeFileSync(join(dir, ENCODINGS_FILE), files.encodingsJson);
  process.stderr.write(
    `wrote ${join(dir, MODEL_FILE)}, ${WEIGHTS_FILE} and ${ENCODINGS_FILE}; re-evaluate with\n` +
      `  npm run cli -- eval --model ${join(dir, MODEL_FILE)} --encodings-in ${join(dir, ENCODINGS_FILE)} --config '${r.link}'\n`,
  );
}

function readEncodings(path: string): FixedEncodings {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    fail(`${path} is not readable JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  return parseAimetFile(json);
}

interface PtqFlags {
  standard: boolean;
  cle: boolean;
  'bias-absorption': boolean;
  adaround?: string | undefined;
  'bias-correction'?: string | undefined;
}

/** The ptq command's flags on top of the link's config (in place). */
async function applyPtqOptions(config: ExperimentConfig, f: PtqFlags, session: EngineSession) {
  if (f.standard) {
    Object.assign(
      config,
      standardPtqConfig(config, modelTraits(await session.model(config.model))),
    );
  }
  config.ptq = { ...config.ptq }; // never mutate a shared default
  if (f.cle) config.ptq.cle = true;
  if (f['bias-absorption']) config.ptq.biasAbsorption = true;
  if (f.adaround !== undefined) {
    const n = Number(f.adaround);
    if (!Number.isInteger(n) || n < 0 || n > 20_000)
      fail(`--adaround must be an integer from 0 to 20000, not "${f.adaround}".`);
    config.ptq.adaround = n;
  }
  const bc = f['bias-correction'];
  if (bc !== undefined) {
    if (bc !== 'empirical' && bc !== 'analytic' && bc !== 'off')
      fail(`--bias-correction must be empirical, analytic or off, not "${bc}".`);
    config.ptq.biasCorrection = bc;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
