/**
 * `npm run bench` part 2: the app's per-layer jobs, timed through the engine session as the
 * worker runs them, per zoo model, on BENCH_BACKEND (`wasm` default, or `cpu`):
 * - the quantized evaluation (FP32 and W8A8 side by side, as the app runs it), against a plain
 *   FP32 evaluation of the same items;
 * - the per-layer sensitivity sweep (each quantizer alone, paper 3.7), per quantized layer;
 * - AdaRound (paper 3.4) per layer, BENCH_ADAROUND iterations (default 200) on 256 calibration
 *   images, W4 per-channel (skipped on `cpu` unless BENCH_ADAROUND is set: it is very slow).
 * Medians of BENCH_PTQ_ROUNDS rounds (default 3) after one warm-up. No assertions: figures go to
 * bench-results/bench-ptq-<backend>.json and docs/performance.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { decodeConfig } from '../src/config/codec';
import { useNodeBackend } from '../src/engine/backend/node';
import { publicDirSource } from '../src/engine/data/nodeSource';
import { EngineSession } from '../src/engine/session';
import { median } from './benchUtil';

const BACKEND = process.env['BENCH_BACKEND'] === 'cpu' ? 'cpu' : 'wasm';
const ROUNDS = Number(process.env['BENCH_PTQ_ROUNDS'] ?? 3);
const N = Number(process.env['BENCH_PTQ_IMAGES'] ?? (BACKEND === 'cpu' ? 100 : 500));
const ADAROUND = Number(process.env['BENCH_ADAROUND'] ?? (BACKEND === 'cpu' ? 0 : 200));
const MODELS = (process.env['BENCH_MODELS'] ?? 'mlp,cnn,dwsep,resnet').split(',');

interface Row {
  model: string;
  images: number;
  fp32EvalMs: number;
  quantEvalMs: number;
  quantOverFp32: number;
  sensitivityMsPerLayer: number;
  sensitivityLayers: number;
  adaroundIterations: number;
  adaroundMsPerLayer: number | null;
}

async function benchModel(session: EngineSession, model: string): Promise<Row> {
  const base = decodeConfig(`v=1&model=${model}&backend=${BACKEND}&n=${N}`).config;
  const ada = decodeConfig(
    `v=1&model=${model}&backend=${BACKEND}&n=50&cal=256&w=4-sym-pc-minmax&ptq=ar${Math.max(1, ADAROUND)}`,
  ).config;
  const fp32: number[] = [];
  const quant: number[] = [];
  const sens: number[] = [];
  const adaPerLayer: number[] = [];
  let layers = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const f = await session.evaluateFp32({ modelId: model, limit: N });
    const q = await session.quantize(base, { sensitivity: true });
    layers = q.layers.filter((l) => l.sensitivity !== null).length;
    const a = ADAROUND > 0 ? await session.quantize(ada, { sensitivity: false }) : null;
    if (round === 0) continue; // warm-up: kernels compiled, model and data loaded
    fp32.push(f.millis);
    quant.push(q.millis.evaluation);
    sens.push(q.millis.sensitivity / Math.max(1, layers));
    const perLayer = a?.ptq?.adaround?.map((l) => l.millis) ?? [];
    if (perLayer.length) adaPerLayer.push(median(perLayer));
  }
  return {
    model,
    images: N,
    fp32EvalMs: median(fp32),
    quantEvalMs: median(quant),
    quantOverFp32: median(quant) / median(fp32),
    sensitivityMsPerLayer: median(sens),
    sensitivityLayers: layers,
    adaroundIterations: ADAROUND,
    adaroundMsPerLayer: adaPerLayer.length ? median(adaPerLayer) : null,
  };
}

async function main() {
  await useNodeBackend(BACKEND);
  const session = new EngineSession(publicDirSource(), () => BACKEND);
  const rows: Row[] = [];
  for (const model of MODELS) rows.push(await benchModel(session, model));
  console.log(
    `\n${BACKEND.toUpperCase()} backend, engine session, ${ROUNDS} rounds after a warm-up, ${N} test items`,
  );
  console.log(
    'model    FP32 eval ms  quant eval ms  ratio  sensitivity ms/layer (layers)  AdaRound ms/layer',
  );
  for (const r of rows)
    console.log(
      `${r.model.padEnd(8)} ${r.fp32EvalMs.toFixed(0).padStart(12)}  ${r.quantEvalMs.toFixed(0).padStart(13)}  ` +
        `${r.quantOverFp32.toFixed(2).padStart(5)}  ${r.sensitivityMsPerLayer.toFixed(0).padStart(20)} (${r.sensitivityLayers})  ` +
        `${r.adaroundMsPerLayer === null ? '-' : `${r.adaroundMsPerLayer.toFixed(0)} (${r.adaroundIterations} it.)`}`,
    );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync(
    `bench-results/bench-ptq-${BACKEND}.json`,
    JSON.stringify({ backend: BACKEND, rounds: ROUNDS, images: N, rows }, null, 2) + '\n',
  );
  await session.dispose();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
