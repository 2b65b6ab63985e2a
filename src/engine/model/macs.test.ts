import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { importModel } from './graph';
import { modelCost, nodeCost } from './macs';
import { TEST_MODELS, dwsep } from './testModels';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('nodeCost / modelCost', () => {
  it('dwsep MACs by hand', async () => {
    const model = dwsep();
    const ir = await importModel(model);
    const macs = Object.fromEntries(ir.nodes.map((n) => [n.name, nodeCost(n).macs]));
    // stem 3×3, 2→4, out 4×4; depthwise 3×3 ×2, out 4×4×8; 1×1 8→6; dense 6→3.
    expect(macs).toMatchObject({
      stem: 4 * 4 * 4 * 9 * 2,
      dw: 4 * 4 * 8 * 9,
      pw: 4 * 4 * 6 * 8,
      logits: 18,
    });
    expect(modelCost(ir).macs).toBe(1152 + 1152 + 768 + 18);
    model.dispose();
  });

  it.each(Object.entries(TEST_MODELS))('%s: params match model.countParams()', async (_, build) => {
    const model = build();
    expect(modelCost(await importModel(model)).params).toBe(model.countParams());
    model.dispose();
  });
});
