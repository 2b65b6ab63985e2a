/**
 * The issue's headline check (paper 3.2, Table 3's MobileNetV2 case) on the built-in dwsep:
 * per-tensor 8-bit weights lose ~12 points because BN folding leaves its depthwise channel
 * ranges ~130x apart; CLE evens them out and recovers most of the gap to per-channel. Runs the
 * real quantization path (prepareWeights with CLE as its IR rewrite, calibrated activations),
 * without the pipeline integration.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { digitsCalibrationSet } from '../data/calibration';
import { digitsSet, type LabeledSet } from '../data/dataset';
import { loadDigitsSplit } from '../data/digits';
import { publicDirSource } from '../data/nodeSource';
import { compareRuns } from '../eval/compare';
import { createQuantSim, type IrRewrite, prepareWeights } from '../quantsim/quantSim';
import { EngineSession } from '../session';
import { absorbHighBiases } from './biasAbsorption';
import { equalize, type Relu6Mode } from './cle';

let session: EngineSession;
let calibration: LabeledSet;
let test: LabeledSet;

const cle =
  (relu6: Relu6Mode, absorb: boolean): IrRewrite =>
  (ir, bn) => {
    const e = equalize(ir, bn, { relu6 });
    return absorb ? absorbHighBiases(e.ir, e.bn, e.groups) : e;
  };

/** Top-1 on the test split of the quantized model, and of its FP32 reference. */
async function accuracy(w: string, a: string, rewrite?: IrRewrite) {
  const config = decodeConfig(`v=1&model=dwsep&w=${w}&a=${a}`).config;
  const prepared = await prepareWeights(await session.model('dwsep'), config, rewrite);
  const sim = await createQuantSim(prepared, calibration);
  const q = sim.build();
  try {
    const r = await compareRuns(sim.fp, q, test, []);
    return { q: r.qCorrect / r.count, fp: r.fpCorrect / r.count };
  } finally {
    q.dispose();
    sim.dispose();
  }
}

describe('dwsep per-tensor W8 with CLE', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    const source = publicDirSource();
    session = new EngineSession(source, () => 'wasm');
    // As the app's defaults: 512 seeded calibration images (seed 0), the whole test split.
    calibration = digitsCalibrationSet(await loadDigitsSplit(source, 'train'), 512, 0);
    test = digitsSet(await loadDigitsSplit(source, 'test'));
  });

  it('W8A8: CLE recovers most of the per-tensor loss; FP32 unchanged', async () => {
    const act = '8-asym-pt-minmax';
    const pc = await accuracy('8-sym-pc-minmax', act);
    const pt = await accuracy('8-sym-pt-minmax', act);
    const clip = await accuracy('8-sym-pt-minmax', act, cle('clip', false));
    const relu = await accuracy('8-sym-pt-minmax', act, cle('relu', false));
    const ba = await accuracy('8-sym-pt-minmax', act, cle('clip', true));
    const wOnly = await accuracy('8-sym-pt-minmax', 'fp32');
    const wOnlyCle = await accuracy('8-sym-pt-minmax', 'fp32', cle('clip', false));
    const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
    console.log(
      `dwsep, ${test.count} test images, W8 min-max weights, A8 asym per-tensor min-max:\n` +
        `  FP32                                 ${pct(pc.fp)}\n` +
        `  per-channel W8A8                     ${pct(pc.q)}\n` +
        `  per-tensor W8A8                      ${pct(pt.q)}\n` +
        `  per-tensor W8A8 + CLE (ReLU6 → 6/s)  ${pct(clip.q)} (FP32 after CLE ${pct(clip.fp)})\n` +
        `  per-tensor W8A8 + CLE (ReLU6 → ReLU) ${pct(relu.q)} (FP32 after CLE ${pct(relu.fp)})\n` +
        `  per-tensor W8A8 + CLE + BA           ${pct(ba.q)}\n` +
        `  per-tensor W8 only: ${pct(wOnly.q)}, + CLE ${pct(wOnlyCle.q)}`,
    );
    expect(clip.fp).toBe(pc.fp); // CLE with scaled ReLU6 bounds is exact in FP32
    const gap = pc.q - pt.q;
    expect(gap).toBeGreaterThan(0.05);
    expect(clip.q - pt.q).toBeGreaterThan(0.75 * gap); // "most of the gap"
    expect(wOnlyCle.q - wOnly.q).toBeGreaterThan(0.75 * (pc.fp - wOnly.q));
  });
});
