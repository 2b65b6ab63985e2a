/**
 * Issue 9, "no leaks": FP32 evaluation, PTQ (CLE + AdaRound + empirical bias correction) and a
 * short QAT run many times on a tiny slice of the mlp model. After a warm-up round of each (which
 * loads the model and fills the session's data caches) every round must end with
 * tf.memory().numTensors and numBytes exactly where the warm-up left them.
 *
 * AdaRound runs one iteration per layer (the code path, not the optimum, is what leaks or not),
 * so the 150 rounds take a few seconds on 2 cores.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import { CancelledError, EngineSession } from '../session';

const config = (hash: string) => decodeConfig(hash).config;
const PTQ = config('v=1&model=mlp&n=16&cal=8&ptq=cle-ar1-bce');
const QAT = config('v=1&model=mlp&n=8&cal=8&qat=1ep-b8-adam0.001-t8');

type Memory = { numTensors: number; numBytes: number };
const memory = (): Memory => {
  const m = tf.memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes };
};

/** Runs `job` once to warm up, then `rounds` times; returns each round's drift from baseline. */
async function drift(rounds: number, job: () => Promise<unknown>): Promise<Memory[]> {
  await job();
  const base = memory();
  const out: Memory[] = [];
  for (let i = 0; i < rounds; i++) {
    await job();
    const m = memory();
    out.push({ numTensors: m.numTensors - base.numTensors, numBytes: m.numBytes - base.numBytes });
  }
  return out;
}

const none = (rounds: number) =>
  Array.from({ length: rounds }, () => ({ numTensors: 0, numBytes: 0 }));

describe('engine memory over repeated jobs (WASM)', () => {
  let session: EngineSession;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
  });

  it('FP32 evaluation returns to baseline after each of 50 rounds', async () => {
    const d = await drift(50, () => session.evaluateFp32({ modelId: 'mlp', limit: 16 }));
    expect(d).toEqual(none(50));
  });

  it('PTQ (CLE, AdaRound, bias correction) returns to baseline after each of 50 rounds', async () => {
    let ptqRungs = 0;
    const d = await drift(50, async () => {
      const r = await session.quantize(PTQ, { sensitivity: false });
      ptqRungs = r.ptq?.steps.length ?? 0;
    });
    expect(ptqRungs).toBeGreaterThanOrEqual(3); // the ladder really ran: baseline + CLE + AdaRound + BC
    expect(d).toEqual(none(50));
  });

  it('a short QAT run returns to baseline after each of 50 rounds', async () => {
    let steps = 0;
    const d = await drift(50, async () => {
      steps = (await session.qat(QAT)).steps.length;
    });
    expect(steps).toBe(1);
    expect(d).toEqual(none(50));
  });

  it('a cancelled quantization leaves nothing behind and the next run completes', async () => {
    const base = memory();
    // Cancelled at its first streamed stage, in the middle of the AdaRound rung.
    const long = config('v=1&model=mlp&n=64&cal=32&ptq=cle-ar300-bce');
    const first = session
      .quantize(long, { sensitivity: true }, () => session.cancel())
      .then(
        () => 'finished',
        (e: unknown) => (e instanceof CancelledError ? 'cancelled' : String(e)),
      );
    expect(await first).toBe('cancelled');
    expect(memory()).toEqual(base);
    const next = await session.quantize(PTQ, { sensitivity: false });
    expect(next.stage).toBe('done');
    expect(memory()).toEqual(base);
  });
});
