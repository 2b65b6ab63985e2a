/**
 * The QAT progress events are deltas (engine/qatUpdates.ts) that the store appends
 * (store/qatAssemble.ts). Cross-check on a real run (mlp, WASM, 2 epochs of 3 steps): the result the
 * store rebuilds from the events equals the engine's own full result, and no entry is sent twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '@/engine/backend/node';
import { publicDirSource } from '@/engine/data/nodeSource';
import type { QatResult, QatUpdate } from '@/engine/events';
import { EngineSession } from '@/engine/session';
import { applyQatUpdate } from '@/store/qatAssemble';

describe('QAT results rebuilt from delta events', () => {
  let session: EngineSession;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
  });

  it('equal the engine’s full result, after every epoch and at the end', async () => {
    const link =
      'v=1&model=mlp&w=4-sym-pc-minmax&a=4-asym-pt-minmax&n=16&cal=16&qat=2ep-b8-adam0.001-t24';
    const updates: QatUpdate[] = [];
    let assembled: QatResult | null = null;
    const measured: QatResult[] = [];
    const { config, problems } = decodeConfig(link);
    expect(problems).toEqual([]);
    const full = await session.qat(config, (u) => {
      updates.push(u);
      assembled = applyQatUpdate(assembled, u);
      if (u.progress.phase.endsWith('measured')) measured.push(assembled);
    });
    expect(full.steps).toHaveLength(6);
    expect(full.epochs.map((e) => e.epoch)).toEqual([0, 1, 2]);
    expect(assembled).toEqual(full);
    // At the PTQ start and after epoch 1 the rebuilt result held exactly what was done by then.
    expect(measured.map((r) => [r.steps.length, r.epochs.length])).toEqual([
      [0, 1],
      [3, 2],
      [6, 3],
    ]);
    expect(measured[1]?.steps).toEqual(full.steps.slice(0, 3));
    expect(measured[1]?.epochs).toEqual(full.epochs.slice(0, 2));
    // Each step, epoch and range point travels once, in order, where its event says it starts.
    for (const kind of ['steps', 'epochs', 'ranges'] as const) {
      const sent: unknown[] = updates.flatMap((u): unknown[] => u[kind]);
      expect(sent).toEqual(full[kind]);
      let at = 0;
      for (const u of updates) {
        expect(u.from[kind]).toBe(at);
        at += u[kind].length;
      }
    }
    expect(updates.length).toBeGreaterThan(full.steps.length);
  }, 60_000);

  it('an event delivered twice changes nothing; a new run starts from its first event', () => {
    const head = { status: 'training', totalSteps: 4 } as QatUpdate['head'];
    const step = (n: number) => ({ step: n, epoch: 1, loss: 1 / n, trainAccuracy: 0.5 });
    const first: QatUpdate = {
      progress: { phase: 'p', done: 1, total: 4 },
      head,
      steps: [step(1)],
      epochs: [],
      ranges: [],
      from: { steps: 0, epochs: 0, ranges: 0 },
    };
    const second = { ...first, steps: [step(2), step(3)], from: { ...first.from, steps: 1 } };
    const once = applyQatUpdate(applyQatUpdate(null, first), second);
    const twice = applyQatUpdate(once, second);
    expect(once.steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(twice).toEqual(once);
    // Arrays without new entries keep their identity (memoized charts compare them).
    expect(twice.epochs).toBe(once.epochs);
  });
});
