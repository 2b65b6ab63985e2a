import { describe, expect, it } from 'vitest';
import { DEVICE_LOST_ERROR, DeviceLossGuard, isDeviceLost, LOSS_SETTLE_MS } from './deviceLoss';

/** A fake backend whose device goes away after `okBatches` batches of an evaluation. */
function fakeGpu(okBatches: number) {
  let batches = 0;
  return {
    runBatch: async (): Promise<number> => {
      if (++batches > okBatches) {
        // What a lost device rejects with: GPUDeviceLostInfo-like, not an Error.
        throw { reason: 'unknown', message: 'GPU process exited' };
      }
      return batches;
    },
  };
}

async function evaluate(gpu: ReturnType<typeof fakeGpu>, batches: number): Promise<number[]> {
  const done: number[] = [];
  for (let i = 0; i < batches; i++) done.push(await gpu.runBatch());
  return done;
}

describe('DeviceLossGuard', () => {
  it('turns a device lost mid-evaluation into the named BACKEND_LOST error', async () => {
    const guard = new DeviceLossGuard(() => 'webgpu');
    const job = guard.wrap((n: number) => evaluate(fakeGpu(2), n));
    const err = await job(5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe(DEVICE_LOST_ERROR);
    expect((err as Error).message).toBe(
      'The webgpu device was lost (GPU process exited); switched to WASM.',
    );
    expect(guard.lost).toBe('GPU process exited');
  });

  it('passes results and unrelated errors through untouched while the device is fine', async () => {
    const guard = new DeviceLossGuard(() => 'webgpu');
    expect(await guard.wrap((n: number) => evaluate(fakeGpu(9), n))(3)).toEqual([1, 2, 3]);
    const bad = guard.wrap(async () => {
      throw new Error('Layer "x" has type Foo');
    });
    await expect(bad()).rejects.toThrow('Layer "x" has type Foo');
    expect(guard.lost).toBeNull();
  });

  it('after the loss was reported, any failure of a job is the device loss', async () => {
    const guard = new DeviceLossGuard(() => 'webgpu');
    guard.markLost('destroyed');
    const err = await guard
      .wrap(async () => {
        throw new TypeError("Cannot read properties of undefined (reading 'mapAsync')");
      })()
      .catch((e: unknown) => e as Error);
    expect(err.name).toBe(DEVICE_LOST_ERROR);
    expect(err.message).toContain('(destroyed)');
  });

  it('a failure that comes just before device.lost settles is still the device loss', async () => {
    const guard = new DeviceLossGuard(() => 'webgpu');
    let lose: (info: { message: string; reason: string }) => void = () => undefined;
    guard.watch(new Promise((r) => (lose = r)));
    const job = guard.wrap(async () => {
      setTimeout(() => lose({ reason: 'destroyed', message: 'Device was destroyed.' }), 20);
      throw new Error("Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped");
    });
    const err = await job().catch((e: unknown) => e as Error);
    expect(err.name).toBe(DEVICE_LOST_ERROR);
    expect(err.message).toBe(
      'The webgpu device was lost (Device was destroyed.); switched to WASM.',
    );
  });

  it('an error outside WebGPU calls is not held back while the device is watched', async () => {
    const guard = new DeviceLossGuard(() => 'webgpu');
    guard.watch(new Promise(() => undefined)); // a device that is never lost
    const started = Date.now();
    await expect(
      guard.wrap(async () => {
        throw new Error('There is no built-in model "x".');
      })(),
    ).rejects.toThrow('There is no built-in model "x".');
    expect(Date.now() - started).toBeLessThan(LOSS_SETTLE_MS);
  });

  it('recognises the texts WebGPU and TF.js use, and nothing else', () => {
    expect(isDeviceLost(new Error('Device is lost'))).toBe(true);
    expect(isDeviceLost(new Error('GPUDevice was destroyed.'))).toBe(true);
    expect(isDeviceLost({ reason: 'destroyed', message: '' })).toBe(true);
    const unmapped =
      "Failed to execute 'mapAsync' on 'GPUBuffer': Buffer was unmapped before mapping was resolved.";
    expect(isDeviceLost(new DOMException(unmapped, 'AbortError'))).toBe(true);
    expect(isDeviceLost(new Error('cancelled'))).toBe(false);
    expect(isDeviceLost({ reason: 'other', message: 'x' })).toBe(false);
    expect(isDeviceLost(null)).toBe(false);
  });
});
