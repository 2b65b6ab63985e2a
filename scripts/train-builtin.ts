/**
 * `npm run train [-- --only <id>[,<id>]] [--epochs <n>]`: trains the built-in zoo in Node on
 * the WASM backend (with our gradient kernels), seeded end to end; saves each model to
 * public/models/<id>/, reloads it from those files, measures it with the app's own code and
 * writes public/models/index.json and docs/models.md. Exits 1 if a model misses its target.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { useNodeBackend } from '../src/engine/backend/node';
import { PUBLIC_DIR } from '../src/engine/data/nodeSource';
import type { ZooModel } from '../src/engine/model/zooIndex';
import { parseZooArgs } from './zoo/args';
import { digitsData, spiralData } from './zoo/data';
import { writeModelsDoc } from './zoo/docs';
import { writeZooIndex } from './zoo/indexFile';
import { measureSaved, modelPath } from './zoo/measure';
import { ZOO_SPECS } from './zoo/registry';
import { saveLayersModel } from './zoo/save';
import type { ZooSpec } from './zoo/spec';
import { trainModel } from './zoo/train';

async function trainOne(spec: ZooSpec): Promise<ZooModel> {
  const data = spec.dataset === 'digits' ? await digitsData(spec.shiftPixels) : spiralData();
  const model = spec.build(spec.recipe.seed);
  console.log(`\n${spec.id}: ${model.countParams()} parameters, ${spec.recipe.epochs} epochs`);
  const started = performance.now();
  await trainModel(model, spec, data.train, (e) => {
    console.log(
      `  epoch ${e.epoch}: lr ${e.learningRate.toExponential(2)} loss ${e.loss.toFixed(4)} ` +
        `train acc ${(100 * e.accuracy).toFixed(2)}% (${e.seconds.toFixed(1)} s)`,
    );
  });
  const trainSeconds = Math.round((performance.now() - started) / 100) / 10;
  await saveLayersModel(model, join(PUBLIC_DIR, 'models', spec.id));
  model.dispose();
  const m = await measureSaved(spec.id, spec.dataset);
  const entry: ZooModel = {
    id: spec.id,
    title: spec.title,
    purpose: spec.purpose,
    path: modelPath(spec.id),
    input: spec.input,
    dataset: spec.dataset,
    layers: m.layers,
    params: m.params,
    macsPerImage: m.macsPerImage,
    fp32TestAccuracy: m.fp32TestAccuracy,
    testCorrect: m.testCorrect,
    testCount: m.testCount,
    recipe: spec.recipe,
    trainSeconds,
  };
  if (m.depthwiseRangeRatio.length) entry.depthwiseRangeRatio = m.depthwiseRangeRatio;
  console.log(
    `  test accuracy ${(100 * m.fp32TestAccuracy).toFixed(2)}% (${m.testCorrect}/${m.testCount}), ` +
      `${m.macsPerImage} MACs, trained in ${trainSeconds} s`,
  );
  for (const r of m.depthwiseRangeRatio)
    console.log(`  ${r.layer}: folded channel range ratio ${r.ratio.toFixed(1)}`);
  return entry;
}

async function main(): Promise<void> {
  const args = parseZooArgs(process.argv.slice(2));
  await useNodeBackend('wasm');
  const entries: ZooModel[] = [];
  let missed = false;
  for (const base of args.specs) {
    const spec = args.epochs ? { ...base, recipe: { ...base.recipe, epochs: args.epochs } } : base;
    const entry = await trainOne(spec);
    if (entry.fp32TestAccuracy < spec.minAccuracy) {
      console.error(`  ${spec.id} MISSED its target of ${(100 * spec.minAccuracy).toFixed(1)}%`);
      missed = true;
    }
    entries.push(entry);
  }
  const index = await writeZooIndex(
    entries,
    ZOO_SPECS.map((s) => s.id),
    tf.getBackend(),
  );
  await writeModelsDoc(index);
  console.log(`\nWrote ${entries.length} model(s), public/models/index.json and docs/models.md`);
  if (missed) process.exitCode = 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
