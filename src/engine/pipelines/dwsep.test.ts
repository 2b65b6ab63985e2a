/**
 * The white paper's depthwise failure case (sections 2.4.2 and 3.2, MobileNetV2 in Table 3) on
 * the built-in dwsep model: per-tensor 8-bit weights lose clearly more than per-channel, and
 * per-layer sensitivity points at the depthwise layers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { QuantResult } from '../events';
import { EngineSession } from '../session';

let session: EngineSession;
const run = (hash: string, sensitivity = false): Promise<QuantResult> =>
  session.quantize(decodeConfig(hash).config, { sensitivity });

describe('dwsep: per-tensor vs per-channel weights', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
  });

  it('per-tensor W8A8 min-max loses clearly more accuracy than per-channel', async () => {
    const pc = await run('v=1&model=dwsep&w=8-sym-pc-minmax&a=8-asym-pt-minmax');
    const pt = await run('v=1&model=dwsep&w=8-sym-pt-minmax&a=8-asym-pt-minmax');
    const fp = pc.fp32Accuracy ?? 0;
    const lossPc = fp - (pc.quantAccuracy ?? 0);
    const lossPt = fp - (pt.quantAccuracy ?? 0);
    expect(lossPt - lossPc).toBeGreaterThanOrEqual(0.05); // at least five points more (measured: ~12)
    // Per layer, the depthwise kernels are where per-tensor weight SQNR collapses.
    const sqnrGap = (node: string) =>
      (pc.layers.find((l) => l.node === node)?.weight?.sqnrDb ?? 0) -
      (pt.layers.find((l) => l.node === node)?.weight?.sqnrDb ?? 0);
    const depthwise = pc.layers.filter((l) => l.type === 'depthwiseConv2d').map((l) => l.node);
    const others = pc.layers
      .filter((l) => l.weight && l.type !== 'depthwiseConv2d')
      .map((l) => l.node);
    expect(depthwise.length).toBeGreaterThan(0);
    expect(Math.min(...depthwise.map(sqnrGap))).toBeGreaterThan(Math.max(...others.map(sqnrGap)));
  });

  it('per-layer sensitivity of per-tensor weights points at a depthwise layer', async () => {
    const r = await run('v=1&model=dwsep&n=1000&w=8-sym-pt-minmax&a=fp32', true);
    const worst = [...r.layers]
      .filter((l) => l.sensitivity)
      .sort((a, b) => (a.sensitivity?.outputSqnrDb ?? 0) - (b.sensitivity?.outputSqnrDb ?? 0))[0];
    expect(worst?.type).toBe('depthwiseConv2d');
  });
});
