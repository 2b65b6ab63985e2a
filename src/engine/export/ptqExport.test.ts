/**
 * PTQ → the three downloaded files → back in: the exported model loaded through the model gate
 * and quantized with the exported encodings fixed gives the PTQ run's own quantized accuracy,
 * also when AdaRound chose the kernels and bias correction changed the biases.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { fakeQuant } from '@/quant/affine';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { QuantResult } from '../events';
import { prepareWeights } from '../quantsim/quantSim';
import { EngineSession } from '../session';
import { parseAimetFile, toAimetFile } from './aimetEncodings';
import { exportSource, MODEL_FILE } from './qatExport';
import type { ExportFiles } from './ptqExport';

const LINK = 'v=1&model=cnn&w=4-sym-pc-minmax&a=8-asym-pt-minmax&n=200&cal=64&ptq=cle-ar20-bce';

describe('PTQ export round trip (CLE + AdaRound + bias correction)', () => {
  let session: EngineSession;
  let config: ExperimentConfig;
  let run: QuantResult;
  let files: ExportFiles;
  let again: QuantResult;
  let modelId: string;

  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
    const decoded = decodeConfig(LINK);
    expect(decoded.problems).toEqual([]);
    config = decoded.config;
    expect(await session.exportPtq()).toBeNull();
    run = await session.quantize(config, { sensitivity: false });
    const exported = await session.exportPtq();
    if (!exported) throw new Error('no export after a run');
    files = exported;
    modelId = await session.addModelFile(exportSource(files), MODEL_FILE);
    const fixedEncodings = parseAimetFile(JSON.parse(files.encodingsJson));
    again = await session.quantize(
      { ...config, model: modelId },
      { sensitivity: false, fixedEncodings },
    );
  }, 240_000);

  it('re-evaluating the exported files gives the PTQ run’s quantized accuracy exactly', () => {
    expect(run.ptq?.adaround).not.toBeNull();
    expect(run.ptq?.biasCorrection).not.toBeNull();
    expect(again.count).toBe(200);
    expect(again.quantAccuracy).toBe(run.quantAccuracy);
    expect(again.outputSqnrDb).not.toBeNull();
    // Fixed encodings: the PTQ steps are not run again (the only warning).
    expect(again.warnings).toEqual([
      'PTQ steps were not run: with fixed encodings the model is taken as finished.',
    ]);
    console.info(
      `PTQ export cnn W4A8 cle+ar20+bce: run ${run.quantAccuracy}, re-evaluated ${again.quantAccuracy} ` +
        `(exported FP32 ${again.fp32Accuracy} vs run FP32 ${run.fp32Accuracy})`,
    );
  });

  it('reports the exported encodings, and the kernels AdaRound chose are on their grid', async () => {
    const exported = JSON.parse(files.encodingsJson) as ReturnType<typeof toAimetFile>;
    const reported = toAimetFile(again);
    expect(reported.param_encodings).toEqual(exported.param_encodings);
    expect(reported.activation_encodings).toEqual(exported.activation_encodings);
    const fixed = parseAimetFile(exported);
    const model = await session.model(modelId);
    const back = await prepareWeights(model, { ...config, model: modelId }, undefined, fixed);
    let onGrid = 0;
    for (const n of back.ir.nodes) {
      const k = n.weights.kernel?.values;
      const enc = fixed.weights.get(n.name);
      if (!k || !enc) continue;
      const q = fakeQuant(k, enc);
      // AdaRound flips some roundings, so its kernels are exported as their grid values.
      if (k.every((v, i) => v === q[i])) onGrid++;
    }
    expect(onGrid).toBeGreaterThan(0);
  });
});
