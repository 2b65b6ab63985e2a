/**
 * `npm run bench`: evaluation-time ratios measured side by side in one process on the WASM
 * backend (the backend the app uses without a hardware GPU; BENCH_BACKEND=cpu for the plain
 * JavaScript one, which `npm run bench` also runs on fewer models and images): for each zoo
 * model (BENCH_MODELS), the test split (its first BENCH_IMAGES items)
 * evaluated by (a) model.predict in FP32, (b) our folded executor in FP32, (c) the W8A8
 * fake-quant simulation (weights pre-quantized, activations fake-quantized on every run), and
 * (d) the integer path (integer kernels, 32-bit wrapping accumulator, fixed-point
 * requantization) against (c) on the first BENCH_INT_IMAGES test images (the host integer
 * kernels are plain TypeScript loops, so the full split would take minutes per round).
 * Rounds are interleaved and medians reported, since absolute times on this machine are noisy.
 * Writes bench-results/bench-<backend>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG } from '../src/config/defaults';
import { useNodeBackend } from '../src/engine/backend/node';
import { digitsCalibrationSet } from '../src/engine/data/calibration';
import { digitsSet } from '../src/engine/data/dataset';
import { loadDigitsSplit } from '../src/engine/data/digits';
import { publicDirSource } from '../src/engine/data/nodeSource';
import { evaluateAccuracy } from '../src/engine/eval/evaluate';
import { loadLayersModelFrom } from '../src/engine/model/load';
import { parseZooIndex, ZOO_INDEX_PATH } from '../src/engine/model/zooIndex';
import { limitSet } from '../src/engine/data/dataset';
import { disposeValues, prepareInteger } from '../src/engine/quantsim/intExec';
import { createQuantSim, prepareWeights } from '../src/engine/quantsim/quantSim';
import type { LabeledSet } from '../src/engine/data/dataset';
import { benchQatSteps } from './benchQat';
import { median } from './benchUtil';

const BACKEND = process.env['BENCH_BACKEND'] === 'cpu' ? 'cpu' : 'wasm';
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const IMAGES = Number(process.env['BENCH_IMAGES'] ?? 2000);
const MODELS = process.env['BENCH_MODELS']?.split(',');
/** QAT step models (default: all of BENCH_MODELS); on CPU a cnn training step takes ~40 s. */
const QAT_MODELS = process.env['BENCH_QAT_MODELS']?.split(',');
const INT_IMAGES = Number(process.env['BENCH_INT_IMAGES'] ?? 250);
/** Which parts to run: `eval` (evaluation times) and/or `qat` (training steps); default both. */
const PARTS = new Set((process.env['BENCH_PARTS'] ?? 'eval,qat').split(','));

/** Runs the integer path over `set` in batches of 250 (the executor's outputs are dropped). */
async function integerPass(exe: ReturnType<typeof prepareInteger>, set: LabeledSet) {
  for (let start = 0; start < set.count; start += 250) {
    const { x } = set.batch(start, Math.min(set.count, start + 250));
    const r = await exe.run(x);
    disposeValues(r.values);
    x.dispose();
  }
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function main() {
  await useNodeBackend(BACKEND);
  const source = publicDirSource();
  const index = parseZooIndex(JSON.parse(new TextDecoder().decode(await source(ZOO_INDEX_PATH))));
  const [train, test] = await Promise.all([
    loadDigitsSplit(source, 'train'),
    loadDigitsSplit(source, 'test'),
  ]);
  const set = limitSet(digitsSet(test), IMAGES);
  const rows = [];
  const qatModels: { id: string; model: tf.LayersModel }[] = [];
  const chosen = (id: string) => !MODELS || MODELS.includes(id);
  for (const entry of index.models.filter((m) => m.dataset === 'digits' && chosen(m.id))) {
    const model = await loadLayersModelFrom(source, entry.path);
    const config = { ...DEFAULT_CONFIG, model: entry.id };
    const sim = await createQuantSim(
      await prepareWeights(model, config),
      digitsCalibrationSet(train, 512, 0),
    );
    const q = sim.build();
    const int = prepareInteger(sim, {
      enabled: true,
      accumulatorBits: 32,
      overflow: 'wrap',
      requantization: 'fixed-point',
    });
    const small = limitSet(set, INT_IMAGES);
    const run = (exe: typeof q) => (x: tf.Tensor) => {
      const r = exe.run(x);
      r.outputs.filter((t) => t !== r.output).forEach((t) => t.dispose());
      return r.output;
    };
    const variants = {
      predict: () => evaluateAccuracy(model, set),
      executorFp32: () => evaluateAccuracy(run(sim.fp), set),
      w8a8: () => evaluateAccuracy(run(q), set),
      w8a8Small: () => evaluateAccuracy(run(q), small),
      integerSmall: () => integerPass(int, small),
    };
    const times: Record<keyof typeof variants, number[]> = {
      predict: [],
      executorFp32: [],
      w8a8: [],
      w8a8Small: [],
      integerSmall: [],
    };
    if (PARTS.has('eval')) for (const v of Object.values(variants)) await v(); // warm-up
    for (let r = 0; PARTS.has('eval') && r < ROUNDS; r++) {
      for (const [name, v] of Object.entries(variants) as [
        keyof typeof variants,
        () => Promise<unknown>,
      ][]) {
        times[name].push(await time(v));
      }
    }
    const m = {
      predict: median(times.predict),
      executorFp32: median(times.executorFp32),
      w8a8: median(times.w8a8),
      w8a8Small: median(times.w8a8Small),
      integerSmall: median(times.integerSmall),
    };
    rows.push({
      model: entry.id,
      images: set.count,
      medianMs: m,
      ratioW8A8OverPredict: m.w8a8 / m.predict,
      ratioW8A8OverExecutorFp32: m.w8a8 / m.executorFp32,
      integerImages: small.count,
      ratioIntegerOverW8A8: m.integerSmall / m.w8a8Small,
    });
    int.dispose();
    q.dispose();
    sim.dispose();
    qatModels.push({ id: entry.id, model });
  }
  const qatRows = PARTS.has('qat')
    ? await benchQatSteps(
        qatModels.filter((m) => !QAT_MODELS || QAT_MODELS.includes(m.id)),
        train,
        Math.max(5, 3 * ROUNDS),
      )
    : [];
  qatModels.forEach((m) => m.model.dispose());
  console.log(
    `${BACKEND.toUpperCase()} backend, ${ROUNDS} interleaved rounds, medians over ${set.count} test items`,
  );
  console.log(
    `model    predict ms  executor FP32 ms  W8A8 ms  W8A8/predict  W8A8/executor  integer/W8A8 (${INT_IMAGES} images)`,
  );
  for (const r of rows) {
    console.log(
      `${r.model.padEnd(8)} ${r.medianMs.predict.toFixed(0).padStart(10)}  ${r.medianMs.executorFp32.toFixed(0).padStart(16)}  ` +
        `${r.medianMs.w8a8.toFixed(0).padStart(7)}  ${r.ratioW8A8OverPredict.toFixed(2).padStart(12)}  ${r.ratioW8A8OverExecutorFp32.toFixed(2).padStart(13)}  ` +
        `${r.ratioIntegerOverW8A8.toFixed(1).padStart(12)}`,
    );
  }
  console.log(
    `\nQAT step vs FP32 training step (Adam, batch ${qatRows[0]?.batch ?? 64}, W8A8 learnable ranges; goal >= 0.7x)`,
  );
  console.log('model    FP32 step ms  QAT step ms  QAT throughput / FP32');
  for (const r of qatRows)
    console.log(
      `${r.model.padEnd(8)} ${r.medianMs.fp32Step.toFixed(1).padStart(12)}  ${r.medianMs.qatStep.toFixed(1).padStart(11)}  ${r.qatThroughputRatio.toFixed(2).padStart(21)}`,
    );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    `bench-results/bench-${BACKEND}.json`,
    JSON.stringify({ backend: BACKEND, rounds: ROUNDS, rows, qat: qatRows }, null, 2) + '\n',
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
