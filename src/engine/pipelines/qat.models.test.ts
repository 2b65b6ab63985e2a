/**
 * The issue's headline check for QAT (paper section 4, Table 10's W4A4 column) on the built-in
 * cnn, WASM, the whole 8,000-image train split and 2,000-image test split: W4A4 (per-tensor
 * min-max, the harder grid) recovers to within 1.5 points of FP32 in one epoch (the issue asks
 * for at most 3), where PTQ at the same bits loses clearly more. About 25 s on two cores.
 *
 * One epoch at Adam 1e-3 (cosine decay): 96.70% -> 97.95%, 0.30 below FP32 98.25% against PTQ's
 * 1.55 (measured). The earlier 2 epochs at 2e-4 reached 98.05% at twice the time; one epoch at
 * 2e-4 reaches only 97.40% (0.85 below FP32, not half of PTQ's loss), at 5e-4 97.80%.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import { EngineSession } from '../session';

describe('QAT W4A4 on cnn (whole splits)', () => {
  let session: EngineSession;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
  });

  it('recovers to within 1.5 points of FP32 in 1 epoch; PTQ loses at least twice as much', async () => {
    const link = 'v=1&model=cnn&w=4-sym-pt-minmax&a=4-asym-pt-minmax&qat=1ep-b64-adam0.001';
    const r = await session.qat(decodeConfig(link).config);
    const lossPtq = r.fp32Accuracy - r.ptqAccuracy;
    const lossQat = r.fp32Accuracy - r.accuracy;
    console.log(
      `cnn W4A4 per-tensor min-max: FP32 ${(100 * r.fp32Accuracy).toFixed(2)}%, PTQ ${(100 * r.ptqAccuracy).toFixed(2)}%, ` +
        `QAT ${r.epochs.map((e) => `epoch ${e.epoch} ${(100 * e.testAccuracy).toFixed(2)}%`).join(', ')} ` +
        `(${(r.millis.training / r.steps.length).toFixed(0)} ms/step)`,
    );
    expect(r.count).toBe(2000);
    expect(r.trainCount).toBe(8000);
    expect(lossQat).toBeLessThanOrEqual(0.015);
    expect(lossPtq).toBeGreaterThan(2 * lossQat);
    expect(r.epochs.map((e) => e.epoch)).toEqual([0, 1]);
  }, 300_000);
});
