import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { decodeConfig } from '@/config/codec';
import { resolveQuantizer } from '@/quant/resolve';
import { sqnrDb } from '@/quant/metrics';
import { weightSpec } from '@/config/slotSpec';
import { useNodeBackend } from './backend/node';
import { publicDirSource } from './data/nodeSource';
import { gridInputs } from './inspect/decisionBoundary';
import { sampleStride } from './inspect/layerData';
import { runBitSweep, sweepPlan } from './pipelines/bitSweep';
import type { QuantResult } from './events';
import { EngineSession } from './session';

const config = (hash: string) => decodeConfig(hash).config;

describe('charts: pure parts', () => {
  it('plans weight bits 8..2 then activation bits 8..2, other side as configured', () => {
    const c = config('v=1&model=cnn&w=6-sym-pt-mse&a=fp32&int=on');
    const plan = sweepPlan(c);
    expect(plan.map((p) => `${p.kind[0]}${p.bits}`).join(' ')).toBe(
      'w8 w7 w6 w5 w4 w3 w2 a8 a7 a6 a5 a4 a3 a2',
    );
    expect(plan[6]?.config.weights).toMatchObject({
      bits: 2,
      range: 'mse',
      granularity: 'per-tensor',
    });
    expect(plan[6]?.config.activations).toBe('fp32'); // as configured
    expect(plan[13]?.config.activations).toMatchObject({ bits: 2, scheme: 'asymmetric' });
    expect(plan.every((p) => !p.config.integer.enabled)).toBe(true);
  });

  it('streams each point and stops when asked', async () => {
    const c = config('v=1&model=cnn');
    const fake = (acc: number) =>
      ({ quantAccuracy: acc, fp32Accuracy: 0.9, outputSqnrDb: 1 }) as QuantResult;
    const seen: number[] = [];
    let runs = 0;
    const r = runBitSweep({
      modelId: 'cnn',
      config: c,
      count: 10,
      run: async () => fake(++runs / 20),
      shouldStop: () => runs >= 3,
      onUpdate: (u) => seen.push(u.result.points.length),
    });
    await expect(r).rejects.toThrow('cancelled');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('samples activations with a stride that keeps each value on its channel', () => {
    expect(sampleStride(100, 100, 8)).toBe(1);
    expect(sampleStride(1000, 100, 8)).toBe(17); // 10 -> ceil(9 / 8) * 8 + 1
    for (const [n, c] of [
      [401_408, 32],
      [50_176, 16],
      [999, 7],
    ] as const) {
      const s = sampleStride(n, 1 << 12, c);
      expect(s % c).toBe(1 % c); // (i * s) % c === i % c
      expect(Math.ceil(n / s)).toBeLessThanOrEqual(1 << 12);
    }
  });

  it('lays the boundary grid out row-major from the top-left corner', () => {
    expect(Array.from(gridInputs(2, 1))).toEqual([-0.5, 0.5, 0.5, 0.5, -0.5, -0.5, 0.5, -0.5]);
  });
});

describe('charts: through the session', () => {
  it('keeps the run kernel, samples activations, and draws spiral boundaries', async () => {
    await useNodeBackend('cpu');
    const session = new EngineSession(publicDirSource(), () => 'cpu');
    try {
      expect(session.charts.layerWeights('fc1')).toBeNull(); // before any run
      const c = config('v=1&model=spiral&n=200&w=2-sym-pt-minmax');
      const r = await session.quantize(c, { sensitivity: false });
      const w = session.charts.layerWeights('fc1');
      expect(w).toMatchObject({ node: 'fc1', shape: [2, 16], channels: 16, link: r.link });
      // The page re-quantizes the kernel with the slot's spec: the table's W-SQNR again.
      const spec = weightSpec(c.weights);
      if (!w || !spec) throw new Error('no kernel');
      const q = resolveQuantizer(spec, { data: w.values, layout: { channels: 16, inner: 1 } });
      expect(sqnrDb(w.values, q.fakeQuant(w.values))).toBe(
        r.layers.find((l) => l.node === 'fc1')?.weight?.sqnrDb,
      );
      const a = await session.charts.layerActivations('fc1');
      expect(a?.images).toBe(64);
      expect(a?.values.length).toBe(64 * 16);
      const b = session.charts.decisionBoundary();
      expect(b?.link).toBe(r.link);
      expect(b?.fp32.label.length).toBe(64 * 64);
      expect(b?.labels.length).toBe(200);
      const differ = b ? b.fp32.label.filter((l, i) => l !== b.quantized.label[i]).length : 0;
      expect(differ).toBeGreaterThan(0); // 2-bit weights move the boundary
      expect(tf.memory().numTensors).toBeLessThan(200);
    } finally {
      await session.dispose();
    }
  });

  it('sweeps accuracy over bits on a subset; low bits lose accuracy', async () => {
    await useNodeBackend('cpu');
    const session = new EngineSession(publicDirSource(), () => 'cpu');
    try {
      const points: number[] = [];
      const r = await session.charts.sweep(config('v=1&model=spiral&n=300&cal=128'), (u) =>
        points.push(u.result.points.length),
      );
      expect(points).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
      expect(r.count).toBe(300);
      const at = (kind: string, bits: number) =>
        r.points.find((p) => p.kind === kind && p.bits === bits)?.accuracy ?? NaN;
      expect(at('weights', 8)).toBeGreaterThan(at('weights', 2) + 0.05);
      expect(at('activations', 8)).toBeGreaterThan(at('activations', 2));
    } finally {
      await session.dispose();
    }
  });
});
