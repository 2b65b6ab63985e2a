/**
 * The PTQ debugging flow (paper 3.7, Fig. 9) on the paper's own case: dwsep with per-tensor
 * 8-bit weights, where BN folding left the depthwise channel ranges ~130x apart. The flow must
 * pass the FP32 sanity check, blame the weights, name a depthwise layer as the worst quantizer,
 * and measure that its suggested fixes (CLE, per-channel) recover the accuracy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { Progress } from '../events';
import { EngineSession } from '../session';

let session: EngineSession;

describe('debugging flow on dwsep per-tensor W8A8 (WASM, 400 test images)', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
  });

  it('blames the weights, points at a depthwise layer, and measures fixes that work', async () => {
    const link = 'v=1&model=dwsep&w=8-sym-pt-minmax&a=8-asym-pt-minmax&n=400&cal=128';
    const progress: Progress[] = [];
    const r = await session.debugFlow(decodeConfig(link).config, (p) => progress.push(p));
    expect(r.sanity.passed).toBe(true);
    expect(r.sanity.bypassedAccuracy).toBeCloseTo(r.sanity.predictAccuracy, 3);
    expect(r.culprit).toBe('weights');
    // Weights alone lose clearly more than activations alone.
    expect(r.weightsOnlyAccuracy).toBeLessThan(r.activationsOnlyAccuracy - 0.05);
    // Step 5: every quantizer probed, sorted worst first; the worst is a depthwise kernel.
    const accs = r.quantizers.map((q) => q.accuracy);
    expect(accs).toEqual([...accs].sort((a, b) => a - b));
    expect(r.quantizers[0]?.kind).toBe('weights');
    expect(r.quantizers[0]?.type).toBe('depthwiseConv2d');
    // The suggested fixes, each a link that applies it, measured: CLE and per-channel each
    // recover most of what the weights lost.
    const cle = r.suggestions.find((s) => s.link.includes('ptq=cle-ba'));
    const pc = r.suggestions.find((s) => /per-channel/.test(s.text));
    // Per-channel min-max weights are the default, so the link just drops w=.
    expect(decodeConfig(pc?.link ?? '').config.weights).toMatchObject({
      granularity: 'per-channel',
    });
    const gap = r.sanity.predictAccuracy - r.quantizedAccuracy;
    expect(gap).toBeGreaterThan(0.05);
    for (const s of [cle, pc]) {
      expect(s?.accuracy).not.toBeNull();
      expect((s?.accuracy ?? 0) - r.quantizedAccuracy).toBeGreaterThan(0.75 * gap);
    }
    expect(progress.at(-1)?.phase).toBe('Trying the suggestions');
  });
});
