import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from './backend/node';
import { publicDirSource } from './data/nodeSource';
import type { QuantResult } from './events';
import { CancelledError, EngineSession } from './session';

const config = (hash: string) => decodeConfig(hash).config;

async function quantizeOn(backend: 'cpu' | 'wasm', hash: string): Promise<QuantResult> {
  await useNodeBackend(backend);
  const session = new EngineSession(publicDirSource(), () => backend);
  try {
    return await session.quantize(config(hash), { sensitivity: false });
  } finally {
    await session.dispose();
  }
}

describe('EngineSession', () => {
  it('gives the same encodings and accuracy on CPU and WASM', async () => {
    const hash = 'v=1&model=cnn&n=300&cal=128&w=4-asym-pt-minmax&a=8-asym-pt-mse';
    const cpu = await quantizeOn('cpu', hash);
    const wasm = await quantizeOn('wasm', hash);
    expect(wasm.quantAccuracy).toBe(cpu.quantAccuracy);
    expect(wasm.fp32Accuracy).toBe(cpu.fp32Accuracy);
    wasm.layers.forEach((l, i) => {
      const c = cpu.layers[i];
      expect(l.node).toBe(c?.node);
      // Weight encodings come from the same pure code on the same weights: identical.
      expect(l.weight?.encoding).toEqual(c?.weight?.encoding);
      // Activation ranges come from each backend's float arithmetic: equal to float tolerance.
      l.activation?.encoding?.scale.forEach((s, k) => {
        expect(Math.abs(s - (c?.activation?.encoding?.scale[k] ?? NaN)) / s).toBeLessThan(1e-4);
      });
      if (l.activation?.sqnrDb && c?.activation?.sqnrDb) {
        expect(Math.abs(l.activation.sqnrDb - c.activation.sqnrDb)).toBeLessThan(0.05);
      }
    });
  });

  it('shares one model load between an FP32 evaluation and a quantization started together', async () => {
    await useNodeBackend('wasm');
    const session = new EngineSession(publicDirSource(), () => 'wasm');
    const [fp, q] = await Promise.all([
      session.evaluateFp32({ modelId: 'cnn', limit: 50 }),
      session.quantize(config('v=1&model=cnn&n=50&cal=32'), { sensitivity: false }),
    ]);
    expect(fp.count).toBe(50);
    expect(q.fp32Accuracy).toBe(fp.accuracy);
    await session.dispose();
  });

  it('cancels an older quantization when a newer one starts, leaking nothing', async () => {
    await useNodeBackend('wasm');
    const before = tf.memory().numTensors;
    const session = new EngineSession(publicDirSource(), () => 'wasm');
    const first = session.quantize(config('v=1&model=mlp&n=1000&cal=512'), { sensitivity: true });
    const firstOutcome = first.then(
      () => 'finished',
      (e: unknown) => (e instanceof CancelledError ? 'cancelled' : String(e)),
    );
    await new Promise((r) => setTimeout(r, 30));
    const second = await session.quantize(config('v=1&model=mlp&n=100&w=6-sym-pc-minmax'), {
      sensitivity: false,
    });
    expect(await firstOutcome).toBe('cancelled');
    expect(second.stage).toBe('done');
    expect(second.layers.find((l) => l.weight)?.weight?.choice).toBe('6-sym-pc-minmax');
    await session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
