/**
 * The CLI's `search` command: the app's mixed-precision search headless, printing the Pareto
 * front (and every confirmed point) as JSON, with the chosen config's share link.
 *   npm run cli -- search --model cnn --budget 1 --wbits 2,4,8 --abits 4,8 --n 2000
 */
import { parseArgs } from 'node:util';
import { decodeConfig } from '../src/config/codec';
import { MAX_BITS, MIN_BITS } from '../src/config/quantChoice';
import type { ExperimentConfig } from '../src/config/schema';
import { useNodeBackend } from '../src/engine/backend/node';
import { publicDirSource } from '../src/engine/data/nodeSource';
import type { SearchOptions, SearchPoint, SearchResult } from '../src/engine/events';
import { EngineSession } from '../src/engine/session';

export const SEARCH_USAGE = `Usage:
  npm run cli -- search --model <zoo id> [options]

Options:
  --budget P          accuracy points the chosen config may lose against FP32 (default 1)
  --wbits LIST        candidate weight bit-widths (default 2,4,8)
  --abits LIST        candidate activation bit-widths (default 4,8)
  --objective bops|size   what the chosen config minimises (default bops)
  --n N               test items the chosen points are confirmed on (default all)
  --cal N             calibration images: range setting and the search's own evaluations
  --exhaustive N      evaluate every assignment when there are at most N (default 0)
  --search-n N        calibration-split (train) images the search evaluates on
                      (default: the --cal images)
  --config <link>     the share link searched around (its quantizer settings are kept)
  --backend wasm|cpu  TF.js backend (default wasm)
  --site URL          prefix of the printed share links (default http://127.0.0.1:5173/)
`;

/** Search options from the flags, or a message naming the bad one. */
export function searchOptionsFromFlags(f: {
  budget?: string | undefined;
  wbits?: string | undefined;
  abits?: string | undefined;
  objective?: string | undefined;
  exhaustive?: string | undefined;
  'search-n'?: string | undefined;
}): SearchOptions | string {
  const bits = (name: string, v: string) => {
    const xs = v.split(',').map(Number);
    const ok =
      xs.length > 0 && xs.every((b) => Number.isInteger(b) && b >= MIN_BITS && b <= MAX_BITS);
    return ok
      ? xs
      : `--${name} must be a comma-separated list of bit-widths ${MIN_BITS}-${MAX_BITS}, not "${v}".`;
  };
  const budget = Number(f.budget ?? '1');
  if (!Number.isFinite(budget) || budget < 0 || budget > 100)
    return `--budget must be a number of accuracy points from 0 to 100, not "${f.budget}".`;
  const weightBits = bits('wbits', f.wbits ?? '2,4,8');
  const activationBits = bits('abits', f.abits ?? '4,8');
  if (typeof weightBits === 'string') return weightBits;
  if (typeof activationBits === 'string') return activationBits;
  const objective = f.objective ?? 'bops';
  if (objective !== 'bops' && objective !== 'size')
    return `--objective must be bops or size, not "${objective}".`;
  const exhaustiveLimit = Number(f.exhaustive ?? '0');
  if (!Number.isInteger(exhaustiveLimit) || exhaustiveLimit < 0)
    return `--exhaustive must be a non-negative integer, not "${f.exhaustive}".`;
  const searchImages = f['search-n'] === undefined ? undefined : Number(f['search-n']);
  if (
    searchImages !== undefined &&
    !(Number.isInteger(searchImages) && searchImages >= 1 && searchImages <= 8000)
  )
    return `--search-n must be an integer from 1 to 8000, not "${f['search-n']}".`;
  return {
    budget,
    weightBits,
    activationBits,
    objective,
    exhaustiveLimit,
    ...(searchImages ? { searchImages } : {}),
  };
}

/** The printed report: the front, the chosen and best uniform points, every confirmed one. */
export function searchReport(r: SearchResult, site: string) {
  const byKey = new Map(r.points.map((p) => [p.key, p]));
  const show = (p: SearchPoint | undefined) =>
    p && {
      key: p.key,
      calibrationAccuracy: p.accuracy,
      testAccuracy: p.testAccuracy,
      bops: p.cost.bops,
      sizeBits: p.cost.sizeBits,
      maxAccumulatorBits: p.cost.maxAccumulatorBits,
      uniform: p.uniform,
      weights: p.weights,
      activations: p.activations,
      shareLink: `${site}#${p.link}`,
    };
  const front = r.options.objective === 'bops' ? r.frontBops : r.frontSize;
  return {
    model: r.modelId,
    options: r.options,
    knobs: r.knobs,
    searchCount: r.searchCount,
    testCount: r.testCount,
    fp32: r.fp32,
    target: r.target,
    evaluated: r.points.length,
    chosen: show(byKey.get(r.chosen ?? '')) ?? null,
    searchChosen: show(byKey.get(r.searchChosen ?? '')) ?? null,
    pipelineAccuracy: r.pipelineAccuracy,
    bestUniform: show(byKey.get(r.bestUniform ?? '')) ?? null,
    front: front.map((k) => show(byKey.get(k))),
    uniform: r.points.filter((p) => p.uniform).map(show),
    warnings: r.warnings,
    millis: r.millis,
  };
}

export async function searchMain(argv: string[]): Promise<void> {
  const fail = (message: string): never => {
    process.stderr.write(`${message}\n\n${SEARCH_USAGE}`);
    process.exit(2);
  };
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      budget: { type: 'string' },
      wbits: { type: 'string' },
      abits: { type: 'string' },
      objective: { type: 'string' },
      n: { type: 'string' },
      cal: { type: 'string' },
      exhaustive: { type: 'string' },
      'search-n': { type: 'string' },
      config: { type: 'string', default: '' },
      backend: { type: 'string', default: 'wasm' },
      site: { type: 'string', default: 'http://127.0.0.1:5173/' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return void process.stdout.write(SEARCH_USAGE);
  if (!values.model) fail('--model is required.');
  const backend = values.backend;
  if (backend !== 'wasm' && backend !== 'cpu')
    return fail(`--backend must be wasm or cpu, not "${backend}".`);
  const options = searchOptionsFromFlags(values);
  if (typeof options === 'string') return fail(options);
  const hash = values.config.slice(values.config.indexOf('#') + 1);
  const { config: linked, problems } = decodeConfig(hash);
  if (problems.length) fail(problems.map((p) => p.message).join('\n'));
  const config: ExperimentConfig = {
    ...linked,
    model: values.model ?? linked.model,
    backend,
  };
  const count = (name: string, v: string | undefined, max: number) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 && n <= max
      ? n
      : fail(`--${name} must be an integer from 1 to ${max}, not "${v}".`);
  };
  if (values.n !== undefined) config.evalLimit = count('n', values.n, 100_000);
  if (values.cal !== undefined) config.calibration = count('cal', values.cal, 8000);
  await useNodeBackend(backend);
  const session = new EngineSession(publicDirSource(), () => backend);
  let last = '';
  const r = await session.search.search(config, options, (u) => {
    const line = `${u.progress.phase}: ${u.progress.done}/${u.progress.total}`;
    if (line !== last) process.stderr.write(`\r${line}          `);
    last = line;
  });
  process.stderr.write('\n');
  process.stdout.write(`${JSON.stringify(searchReport(r, values.site), null, 2)}\n`);
  await session.dispose();
}
