/**
 * `npm run verify-zoo [-- --only <id>[,<id>]]`: loads every model listed in
 * public/models/index.json from its files, evaluates it on WASM with the app's own code and
 * checks that accuracy, parameter and MAC counts, layer table and depthwise range ratios equal
 * the index, and that each model still meets its target. Exits 1 on any mismatch.
 */
import { useNodeBackend } from '../src/engine/backend/node';
import { parseZooArgs } from './zoo/args';
import { checkEntry } from './zoo/check';
import { readZooIndex } from './zoo/indexFile';
import { measureSaved } from './zoo/measure';
import { ZOO_SPECS } from './zoo/registry';

async function main(): Promise<void> {
  const args = parseZooArgs(process.argv.slice(2));
  const index = await readZooIndex();
  if (!index) throw new Error('public/models/index.json is missing; run `npm run train` first');
  await useNodeBackend('wasm');
  const wanted = new Set(args.specs.map((s) => s.id));
  let failures = 0;
  for (const spec of ZOO_SPECS) {
    if (wanted.has(spec.id) && !index.models.some((m) => m.id === spec.id)) {
      console.error(`FAIL ${spec.id}: not in the index`);
      failures++;
    }
  }
  for (const entry of index.models.filter(
    (m) => wanted.has(m.id) || !ZOO_SPECS.some((s) => s.id === m.id),
  )) {
    const started = performance.now();
    const measured = await measureSaved(entry.id, entry.dataset);
    const problems = checkEntry(
      entry,
      measured,
      ZOO_SPECS.find((s) => s.id === entry.id),
    );
    const ms = Math.round(performance.now() - started);
    const figure = `${(100 * measured.fp32TestAccuracy).toFixed(2)}% (${measured.testCorrect}/${measured.testCount})`;
    if (problems.length === 0) {
      console.log(
        `ok   ${entry.id}: ${figure}, ${measured.params} params, ${measured.macsPerImage} MACs (${ms} ms)`,
      );
    } else {
      failures++;
      console.error(`FAIL ${entry.id}: ${figure}`);
      for (const p of problems) console.error(`     ${p}`);
    }
  }
  if (failures) {
    console.error(`\n${failures} model(s) do not match the index`);
    process.exitCode = 1;
  } else {
    console.log('\nEvery model reproduces its index figures.');
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
