import { describe, expect, it } from 'vitest';
import { MAX_WASM_THREADS, wantedWasmThreads, withThreadsAllowed } from './wasmThreads';

/** TF.js 4.22 backend.cc: min(min(max(requested, 1), 8), hardwareConcurrency / 2). */
const tfjsCap = (requested: number, hardwareConcurrency: number) =>
  Math.min(Math.min(Math.max(requested, 1), 8), Math.floor(hardwareConcurrency / 2));

describe('wantedWasmThreads', () => {
  it('asks for every logical core, at least 1 and at most TF.js 8 pthread workers', () => {
    expect(wantedWasmThreads(2)).toBe(2);
    expect(wantedWasmThreads(6)).toBe(6);
    expect(wantedWasmThreads(64)).toBe(MAX_WASM_THREADS);
    expect(wantedWasmThreads(0)).toBe(1);
    expect(wantedWasmThreads(undefined)).toBe(1);
    expect(wantedWasmThreads(Number.NaN)).toBe(1);
  });
});

describe('withThreadsAllowed', () => {
  it('lifts the hardwareConcurrency / 2 cap to the wanted count while starting', async () => {
    // A 2-core machine: without the lift TF.js gives 1 thread whatever was asked.
    const nav = Object.create({ hardwareConcurrency: 2 }) as { hardwareConcurrency: number };
    expect(tfjsCap(2, nav.hardwareConcurrency)).toBe(1);
    const seen = await withThreadsAllowed(nav, 2, async () => tfjsCap(2, nav.hardwareConcurrency));
    expect(seen).toBe(2);
    for (const n of [3, 8]) {
      expect(
        await withThreadsAllowed(nav, n, async () => tfjsCap(n, nav.hardwareConcurrency)),
      ).toBe(n);
    }
  });

  it('restores the real value afterwards, also when starting fails', async () => {
    const proto = { hardwareConcurrency: 2 };
    const nav = Object.create(proto) as { hardwareConcurrency: number };
    await withThreadsAllowed(nav, 2, async () => null);
    expect(nav.hardwareConcurrency).toBe(2);
    expect(Object.getOwnPropertyNames(nav)).toEqual([]);
    await expect(
      withThreadsAllowed(nav, 4, async () => {
        throw new Error('no SharedArrayBuffer');
      }),
    ).rejects.toThrow('no SharedArrayBuffer');
    expect(nav.hardwareConcurrency).toBe(2);

    // An own property (a test double, or a browser that has one) comes back as it was.
    const own = { hardwareConcurrency: 12 };
    await withThreadsAllowed(own, 3, async () => expect(own.hardwareConcurrency).toBe(6));
    expect(Object.getOwnPropertyDescriptor(own, 'hardwareConcurrency')).toEqual({
      value: 12,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  });
});
