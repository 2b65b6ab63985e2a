import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeConfig, encodeConfig } from './codec';
import { DEFAULT_CONFIG } from './defaults';
import { BACKEND_REQUESTS, type ExperimentConfig } from './schema';

const configArb: fc.Arbitrary<ExperimentConfig> = fc.record({
  model: fc.constantFrom('mlp', 'cnn', 'dwsep', 'resnet', 'spiral', 'my-net2'),
  backend: fc.constantFrom(...BACKEND_REQUESTS),
  evalLimit: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

describe('share-link codec', () => {
  it('round-trips every valid config', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const { config, problems } = decodeConfig(encodeConfig(c));
        expect(problems).toEqual([]);
        expect(config).toEqual(c);
      }),
    );
  });

  it('writes only non-default values, with the version first', () => {
    expect(encodeConfig(DEFAULT_CONFIG)).toBe('v=1');
    expect(encodeConfig({ ...DEFAULT_CONFIG, model: 'mlp', evalLimit: 16 })).toBe(
      'v=1&model=mlp&n=16',
    );
  });

  it('names each bad key and keeps its default', () => {
    const { config, problems } = decodeConfig('#v=1&model=../../etc&backend=tpu&n=-3&seed=1e9x');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems.map((p) => p.code)).toEqual([
      'LINK_INVALID',
      'LINK_INVALID',
      'LINK_INVALID',
      'LINK_INVALID',
    ]);
    expect(problems[1]?.message).toContain('"backend=tpu"');
    expect(problems[1]?.message).toContain('auto | webgpu | wasm | cpu');
  });

  it('keeps the good keys of a partly bad link', () => {
    const { config, problems } = decodeConfig('v=1&model=mlp&backend=gpu');
    expect(config.model).toBe('mlp');
    expect(config.backend).toBe('auto');
    expect(problems).toHaveLength(1);
  });

  it('rejects an unknown version whole', () => {
    const { config, problems } = decodeConfig('v=99&model=mlp');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems[0]?.code).toBe('LINK_VERSION');
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(() => decodeConfig(s)).not.toThrow();
      }),
    );
  });
});
