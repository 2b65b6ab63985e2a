/** Activation range methods that depend on where the quantizer sits (paper 3.1). */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { QuantResult } from '../events';
import { EngineSession } from '../session';

let session: EngineSession;
const run = (hash: string): Promise<QuantResult> =>
  session.quantize(decodeConfig(hash).config, { sensitivity: false });

describe('range methods tied to the model structure', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
  });

  it('cross-entropy applies to the softmax input only; other layers fall back to MSE, named', async () => {
    const r = await run('v=1&model=mlp&n=300&cal=256&a=4-asym-pt-ce');
    expect(r.warnings.some((w) => w.startsWith('fc1 activations: cross-entropy'))).toBe(true);
    expect(r.warnings.some((w) => w.startsWith('logits'))).toBe(false);
    const logits = r.layers.find((l) => l.node === 'logits');
    expect(logits?.activation?.encoding?.bitwidth).toBe(4);
    // The CE range clips the logits (min-max would cover every calibration logit).
    const mm = await run('v=1&model=mlp&n=300&cal=256&a=4-asym-pt-minmax');
    const width = (x: QuantResult) => {
      const e = x.layers.find((l) => l.node === 'logits')?.activation?.encoding;
      return (e?.max[0] ?? 0) - (e?.min[0] ?? 0);
    };
    expect(width(r)).toBeLessThan(width(mm));
  });

  it('BN-based ranges use beta ± 6 gamma of the folded BN, clipped at 0 by the fused ReLU', async () => {
    const r = await run('v=1&model=cnn&n=200&cal=64&a=8-asym-pt-bn');
    const conv1 = r.layers.find((l) => l.node === 'conv1')?.activation?.encoding;
    expect(conv1?.min[0]).toBe(0);
    expect(conv1?.max[0]).toBeGreaterThan(0);
    // No BN feeds the model input or the dense head: those fall back to min-max, with a warning.
    expect(r.warnings.some((w) => w.startsWith('input activations: no batch norm'))).toBe(true);
    expect(r.quantAccuracy).toBeGreaterThan(0.9);
  });

  it('MSE activation ranges are no wider than min-max and cost no accuracy at 8 bits', async () => {
    const mse = await run('v=1&model=cnn&n=500&cal=128&a=8-asym-pt-mse');
    const mm = await run('v=1&model=cnn&n=500&cal=128&a=8-asym-pt-minmax');
    mse.layers.forEach((l, i) => {
      const a = l.activation?.encoding;
      const b = mm.layers[i]?.activation?.encoding;
      if (a && b)
        expect((a.max[0] ?? 0) - (a.min[0] ?? 0)).toBeLessThanOrEqual(
          (b.max[0] ?? 0) - (b.min[0] ?? 0) + 1e-6,
        );
    });
    expect(Math.abs((mse.quantAccuracy ?? 0) - (mm.quantAccuracy ?? 0))).toBeLessThanOrEqual(0.01);
  });
});
