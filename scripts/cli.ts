/**
 * Headless runs of the same engine the app uses: `npm run cli -- eval --model cnn --config
 * '<share link>' --json`. A shared experiment is re-run here bit for bit (same seed, same
 * calibration images, same encodings) on the WASM or CPU backend.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeConfig } from '../src/config/codec';
import type { ExperimentConfig } from '../src/config/schema';
import { useNodeBackend } from '../src/engine/backend/node';
import { publicDirSource } from '../src/engine/data/nodeSource';
import type { QuantResult } from '../src/engine/events';
import { EngineSession } from '../src/engine/session';
import { formatReport } from './cliReport';

const USAGE = `Usage:
  npm run cli -- eval --model <zoo id | path/to/model.json> [options]

Options:
  --config <link>     a share link, or just its hash part (v=1&w=4-sym-pc-mse&...)
  --backend wasm|cpu  TF.js backend (default wasm)
  --limit N           evaluate only the first N test items
  --sensitivity       also run per-layer and cumulative sensitivity
  --encodings FILE    write the encodings in AIMET's JSON layout to FILE
  --json              print the whole result as JSON
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string' },
      config: { type: 'string', default: '' },
      backend: { type: 'string', default: 'wasm' },
      limit: { type: 'string' },
      sensitivity: { type: 'boolean', default: false },
      encodings: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (positionals[0] !== 'eval') fail(`Unknown command "${positionals[0] ?? ''}".`);
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
  const started = performance.now();
  const result: QuantResult = await session.quantize(config, { sensitivity: values.sensitivity });
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
  }
  await session.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
