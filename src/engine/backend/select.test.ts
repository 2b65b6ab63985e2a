import { describe, expect, it } from 'vitest';
import { chooseBackend, type WebGpuProbe } from './select';

const none: WebGpuProbe = { kind: 'none', detail: 'navigator.gpu missing' };
const fallback: WebGpuProbe = { kind: 'fallback', detail: 'google swiftshader' };
const hardware: WebGpuProbe = { kind: 'hardware', detail: 'nvidia ampere' };

describe('chooseBackend', () => {
  it('auto prefers a hardware WebGPU adapter', () => {
    expect(chooseBackend('auto', hardware, true).backend).toBe('webgpu');
  });

  it('auto prefers WASM over a fallback adapter and says why', () => {
    const c = chooseBackend('auto', fallback, true);
    expect(c.backend).toBe('wasm');
    expect(c.reason).toMatch(/software fallback/);
    expect(c.reason).toMatch(/swiftshader/);
  });

  it('auto uses WASM without any adapter and CPU when WASM cannot start', () => {
    expect(chooseBackend('auto', none, true).backend).toBe('wasm');
    const c = chooseBackend('auto', none, false);
    expect(c.backend).toBe('cpu');
    expect(c.reason).toMatch(/WASM could not start/);
  });

  it('honours a forced WebGPU on a fallback adapter, but not without an adapter', () => {
    const c = chooseBackend('webgpu', fallback, true);
    expect(c.backend).toBe('webgpu');
    expect(c.reason).toMatch(/forced.*fallback adapter/);
    const d = chooseBackend('webgpu', none, true);
    expect(d.backend).toBe('wasm');
    expect(d.reason).toMatch(/requested but is unavailable/);
  });

  it('honours forced WASM and CPU', () => {
    expect(chooseBackend('wasm', hardware, true).backend).toBe('wasm');
    expect(chooseBackend('cpu', hardware, true).backend).toBe('cpu');
  });
});
