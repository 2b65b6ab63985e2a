/**
 * QAT → the three downloaded files → back in: the exported model loaded through the model gate
 * and quantized with the exported encodings fixed gives the QAT run's own test accuracy and
 * reports the same encodings. Also: fixed encodings in a plain quantization run.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import type { ExperimentConfig } from '@/config/schema';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { QatResult, QuantResult } from '../events';
import type { QatSnapshot } from '../qat/qatModel';
import { prepareWeights } from '../quantsim/quantSim';
import { EngineSession } from '../session';
import { parseAimetFile, toAimetFile } from './aimetEncodings';
import { exportSource, MODEL_FILE, qatExportFiles, type QatExportFiles } from './qatExport';

const LINK =
  'v=1&model=cnn&w=4-sym-pc-minmax&a=4-asym-pt-minmax&n=200&cal=64&qat=1ep-b32-adam0.001-t128';

const cfg = (link: string): ExperimentConfig => {
  const { config, problems } = decodeConfig(link);
  expect(problems).toEqual([]);
  return config;
};

describe('QAT export round trip', () => {
  let session: EngineSession;
  let config: ExperimentConfig;
  let qat: QatResult;
  let snapshot: QatSnapshot;
  let files: QatExportFiles;
  let modelId: string;
  let requantized: QuantResult;

  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
    config = cfg(LINK);
    qat = await session.qat(config);
    const run = session.lastQatRun();
    if (!run?.snapshot) throw new Error('QAT gave no snapshot');
    snapshot = run.snapshot;
    files = await qatExportFiles(snapshot, {
      model: config.model,
      link: qat.link,
      fp32Accuracy: qat.fp32Accuracy,
      quantAccuracy: qat.accuracy,
    });
    modelId = await session.addModelFile(exportSource(files), MODEL_FILE);
    const fixedEncodings = parseAimetFile(JSON.parse(files.encodingsJson));
    requantized = await session.quantize(
      { ...config, model: modelId },
      { sensitivity: false, fixedEncodings },
    );
  }, 300_000);

  it('re-evaluating the exported files gives the QAT test accuracy exactly', () => {
    const last = qat.epochs.at(-1);
    expect(last?.epoch).toBe(1);
    expect(requantized.count).toBe(200);
    expect(requantized.quantAccuracy).toBe(last?.testAccuracy);
    expect(requantized.warnings).toEqual([]);
    console.info(
      `QAT cnn W4/A4: PTQ start ${qat.ptqAccuracy}, after QAT ${last?.testAccuracy}; ` +
        `exported & re-evaluated ${requantized.quantAccuracy} (trained FP32 ${requantized.fp32Accuracy})`,
    );
  });

  it('reports the exported encodings', () => {
    const exported = JSON.parse(files.encodingsJson) as ReturnType<typeof toAimetFile>;
    const reported = toAimetFile(requantized);
    expect(reported.param_encodings).toEqual(exported.param_encodings);
    expect(reported.activation_encodings).toEqual(exported.activation_encodings);
    expect(Object.keys(exported.param_encodings)).toEqual(
      [...snapshot.weights.keys()].map((n) => `${n}.kernel`),
    );
    expect(Object.keys(exported.activation_encodings)).toEqual([...snapshot.activations.keys()]);
    expect(exported.playground.quantAccuracy).toBe(qat.accuracy);
  });

  it('fake-quantizes the exported kernels to the QAT kernels, bit for bit', async () => {
    const fixed = parseAimetFile(JSON.parse(files.encodingsJson));
    const model = await session.model(modelId);
    const prepared = await prepareWeights(model, { ...config, model: modelId }, undefined, fixed);
    expect(prepared.ir.nodes.map((n) => n.name)).toEqual(snapshot.ir.nodes.map((n) => n.name));
    // +0: the host quantizer writes (q − z)·s, the tf op clamp(r)·s, which keeps the sign of a
    // rounded-to-zero negative (−0); the values are the same.
    const plus0 = (a: Float32Array | undefined) => Array.from(a ?? [], (v) => v + 0);
    for (const [node, w] of snapshot.weights)
      expect(plus0(prepared.weights.get(node)?.quantized), node).toEqual(plus0(w.quantized));
  });
});

describe('fixed encodings in a quantization run', () => {
  let session: EngineSession;
  const config = cfg('v=1&model=cnn&w=4-sym-pc-minmax&a=8-asym-pt-minmax&n=200&cal=64');
  let plain: QuantResult;

  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
    plain = await session.quantize(config, { sensitivity: false });
  }, 120_000);

  it('fixing a run’s own encodings reproduces it', async () => {
    const fixed = parseAimetFile(toAimetFile(plain));
    const before = tf.memory().numTensors;
    const again = await session.quantize(config, { sensitivity: false, fixedEncodings: fixed });
    expect(tf.memory().numTensors).toBe(before);
    expect(again.quantAccuracy).toBe(plain.quantAccuracy);
    expect(again.outputSqnrDb).toBe(plain.outputSqnrDb);
    expect(again.layers).toEqual(plain.layers);
  });

  it('mixes fixed and range-set slots; a different bit-width is used with a warning', async () => {
    const all = parseAimetFile(toAimetFile(plain));
    const [first] = all.activations.keys();
    const eight = new Map([...all.activations].filter(([n]) => n === first));
    const a4 = cfg('v=1&model=cnn&w=4-sym-pc-minmax&a=4-asym-pt-minmax&n=200&cal=64');
    const mixed = await session.quantize(a4, {
      sensitivity: false,
      fixedEncodings: { weights: new Map(), activations: eight },
    });
    const enc = (r: QuantResult, n: string) =>
      r.layers.find((l) => l.node === n)?.activation?.encoding;
    expect(enc(mixed, first ?? '')).toEqual(enc(plain, first ?? ''));
    const others = mixed.layers.filter((l) => l.activation?.encoding && l.node !== first);
    expect(others.length).toBeGreaterThan(0);
    for (const l of others) expect(l.activation?.encoding?.bitwidth).toBe(4);
    expect(mixed.warnings).toEqual([
      `${first} activations: the fixed encoding has 8 bits where the config says 4; the fixed encoding was used.`,
    ]);
  });

  it('names a fixed encoding whose channel count does not fit, or whose node is unknown', async () => {
    const fixed = parseAimetFile(toAimetFile(plain));
    const [node, enc] = [...fixed.weights][0] ?? [];
    if (!node || !enc) throw new Error('no weight encodings');
    const cut = { ...enc, scale: enc.scale.slice(0, 2), zeroPoint: enc.zeroPoint.slice(0, 2) };
    const run = (weights: Map<string, typeof enc>) =>
      session.quantize(config, {
        sensitivity: false,
        fixedEncodings: { weights, activations: new Map() },
      });
    await expect(run(new Map([[node, cut]]))).rejects.toMatchObject({
      code: 'FIXED_ENCODING',
      message: expect.stringMatching(
        new RegExp(`^The fixed weight encoding of "${node}".*2 channels`),
      ),
    });
    await expect(run(new Map([['nope', enc]]))).rejects.toMatchObject({
      code: 'FIXED_ENCODING',
      message: expect.stringContaining('"nope"'),
    });
  });
});
