/**
 * `npm run ptq-table`: the white paper's standard-PTQ-pipeline table (Table 6) for every zoo
 * model, plus its CLE (Table 3) and AdaRound (Table 5) views, measured with the app's engine on
 * WASM on the whole test split. Writes docs/ptq-results.md and docs/ptq-results.json.
 *
 * Per cell: round to nearest with the app's default ranges (symmetric min-max weights,
 * asymmetric min-max activations, no PTQ steps) and the standard pipeline (paper 3.5:
 * config/ptqPreset.ts), whose ladder (each step measured) is kept in the JSON.
 */
import { writeFileSync } from 'node:fs';
import { decodeConfig } from '../src/config/codec';
import { standardPtqConfig } from '../src/config/ptqPreset';
import { useNodeBackend } from '../src/engine/backend/node';
import { publicDirSource } from '../src/engine/data/nodeSource';
import type { QuantResult } from '../src/engine/events';
import { modelTraits } from '../src/engine/model/traits';
import { EngineSession } from '../src/engine/session';
import { readZooIndex } from './zoo/indexFile';

const CELLS = [
  { label: 'per-tensor W8A8', w: '8-sym-pt-minmax', a: '8-asym-pt-minmax' },
  { label: 'per-tensor W4A8', w: '4-sym-pt-minmax', a: '8-asym-pt-minmax' },
  { label: 'per-channel W8A8', w: '8-sym-pc-minmax', a: '8-asym-pt-minmax' },
  { label: 'per-channel W4A8', w: '4-sym-pc-minmax', a: '8-asym-pt-minmax' },
] as const;

interface Cell {
  label: string;
  nearest: { accuracy: number; link: string };
  pipeline: { accuracy: number; link: string; ladder: NonNullable<QuantResult['ptq']>['steps'] };
  ptq: QuantResult['ptq'];
}

/** The report without the bulky per-channel ranges, loss curves and per-layer SQNRs. */
function slim(p: QuantResult['ptq']): QuantResult['ptq'] {
  if (!p) return p;
  return {
    ...p,
    steps: p.steps.map((s) => ({ ...s, weightSqnrDb: {} })),
    cle: p.cle && { iterations: p.cle.iterations, pairs: p.cle.pairs, ranges: [] },
    adaround: p.adaround && p.adaround.map((a) => ({ ...a, loss: [] })),
  };
}

const pct = (x: number | null | undefined) => (x == null ? '-' : (100 * x).toFixed(2));

async function main(): Promise<void> {
  const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const index = await readZooIndex();
  if (!index) throw new Error('public/models/index.json is missing');
  await useNodeBackend('wasm');
  const session = new EngineSession(publicDirSource(), () => 'wasm');
  const out: { model: string; fp32: number; cells: Cell[] }[] = [];
  for (const entry of index.models.filter((m) => !only.length || only.includes(m.id))) {
    const traits = modelTraits(await session.model(entry.id));
    const cells: Cell[] = [];
    let fp32 = NaN;
    for (const c of CELLS) {
      const base = decodeConfig(`v=1&model=${entry.id}&backend=wasm&w=${c.w}&a=${c.a}`).config;
      const t0 = performance.now();
      const nearest = await session.quantize(base, { sensitivity: false });
      const pipe = await session.quantize(standardPtqConfig(base, traits), { sensitivity: false });
      fp32 = nearest.fp32Accuracy ?? NaN;
      cells.push({
        label: c.label,
        nearest: { accuracy: nearest.quantAccuracy ?? NaN, link: nearest.link },
        pipeline: {
          accuracy: pipe.quantAccuracy ?? NaN,
          link: pipe.link,
          ladder: slim(pipe.ptq)?.steps ?? [],
        },
        ptq: slim(pipe.ptq),
      });
      const secs = ((performance.now() - t0) / 1000).toFixed(0);
      console.log(
        `${entry.id} ${c.label}: nearest ${pct(nearest.quantAccuracy)}%, pipeline ${pct(pipe.quantAccuracy)}% ` +
          `[${(pipe.ptq?.steps ?? []).map((s) => `${s.step} ${pct(s.accuracy)}`).join(' → ')}] (${secs} s)`,
      );
    }
    out.push({ model: entry.id, fp32, cells });
  }
  await session.dispose();
  writeFileSync('docs/ptq-results.json', `${JSON.stringify(out, null, 2)}\n`);
  writeFileSync('docs/ptq-results.md', markdown(out));
  console.log('wrote docs/ptq-results.md and docs/ptq-results.json');
}

function markdown(rows: { model: string; fp32: number; cells: Cell[] }[]): string {
  const head = `| model | FP32 | ${CELLS.map((c) => c.label).join(' | ')} |\n|---|---|${CELLS.map(() => '---').join('|')}|`;
  const table = rows
    .map(
      (r) =>
        `| \`${r.model}\` | ${pct(r.fp32)} | ${r.cells
          .map((c) => `${pct(c.nearest.accuracy)} → **${pct(c.pipeline.accuracy)}**`)
          .join(' | ')} |`,
    )
    .join('\n');
  const ladder = rows
    .flatMap((r) =>
      r.cells.map(
        (c) =>
          `| \`${r.model}\` | ${c.label} | ${c.pipeline.ladder
            .map((s) => `${s.label.replace(/^\+ /, '')}: ${pct(s.accuracy)}`)
            .join('; ')} |`,
      ),
    )
    .join('\n');
  const ada = rows
    .flatMap((r) => {
      const c = r.cells.find((x) => x.label === 'per-channel W4A8');
      const steps = c?.pipeline.ladder ?? [];
      const i = steps.findIndex((s) => s.step === 'adaround');
      const layers = c?.ptq?.adaround ?? [];
      if (i < 1 || !layers.length) return [];
      const mean = (f: (a: (typeof layers)[number]) => number) =>
        layers.reduce((s, a) => s + f(a), 0) / layers.length;
      return [
        `| \`${r.model}\` | ${pct(steps[i - 1]?.accuracy)} | ${pct(steps[i]?.accuracy)} | ` +
          `${mean((a) => a.nearestMse).toExponential(2)} | ${mean((a) => a.adaroundMse).toExponential(2)} | ` +
          `${layers.filter((a) => a.adaroundMse < a.nearestMse).length}/${layers.length} | ` +
          `${mean((a) => a.nearestWeightMse).toExponential(2)} | ${mean((a) => a.adaroundWeightMse).toExponential(2)} |`,
      ];
    })
    .join('\n');
  return `# Standard PTQ pipeline on the zoo (generated)

Generated by \`npm run ptq-table\` (scripts/ptq-table.ts) on the WASM backend, on the whole
2,000-image test split (\`spiral\`: its 1,000 test points), 512 seeded calibration images (seed 0).
Do not edit by hand; re-run the script.

## Paper Table 6: round to nearest → standard pipeline

Each cell: top-1 (%) with round-to-nearest and the app's default ranges (symmetric min-max
weights, asymmetric per-tensor min-max activations, no PTQ steps) → **the standard PTQ pipeline**
(paper 3.5: symmetric MSE weights, asymmetric MSE activations, CLE + bias absorption when the
model has depthwise layers or per-tensor weights, AdaRound 500 iterations per layer, empirical
bias correction).

${head}
${table}

## The pipeline's ladder (each step measured)

| model | cell | steps |
|---|---|---|
${ladder}

## Paper Table 5: AdaRound vs nearest at W4A8 per-channel

Accuracy just before AdaRound (nearest rounding, after CLE where the pipeline applies it) and
just after; the layer-output reconstruction MSE of Eq. 35, mean over layers; how many layers
AdaRound improved; and the weight MSE mean (Ŵ − W)², which nearest rounding minimises by
construction (AdaRound gives some of it up to fit the layer output).

| model | nearest | AdaRound | out-MSE nearest | out-MSE AdaRound | layers better | w-MSE nearest | w-MSE AdaRound |
|---|---|---|---|---|---|---|---|
${ada}
`;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
