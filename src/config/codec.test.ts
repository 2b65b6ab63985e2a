import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GRANULARITIES, RANGE_METHODS, SCHEMES } from '@/quant/types';
import { decodeConfig, encodeConfig } from './codec';
import { DEFAULT_CONFIG, DEFAULT_WEIGHTS } from './defaults';
import { HIDE_GROUPS } from './hide';
import {
  formatQuantChoice,
  parseQuantChoice,
  type QuantChoice,
  type QuantSlotChoice,
} from './quantChoice';
import { BACKEND_REQUESTS, type ExperimentConfig, type LayerOverride } from './schema';

const choiceArb: fc.Arbitrary<QuantChoice> = fc.record({
  bits: fc.integer({ min: 2, max: 16 }),
  scheme: fc.constantFrom(...SCHEMES),
  granularity: fc.constantFrom(...GRANULARITIES),
  range: fc.constantFrom(...RANGE_METHODS),
  percentile: fc.constantFrom(99.99, 99.9, 99, 99.999, 100),
  narrowRange: fc.boolean(),
});
const slotArb: fc.Arbitrary<QuantSlotChoice> = fc.oneof(choiceArb, fc.constant('fp32' as const));
const overrideArb: fc.Arbitrary<LayerOverride> = fc.record(
  { weights: slotArb, activations: slotArb },
  { requiredKeys: [] },
);

const configArb: fc.Arbitrary<ExperimentConfig> = fc.record({
  model: fc.constantFrom('mlp', 'cnn', 'dwsep', 'resnet', 'spiral', 'my-net2'),
  backend: fc.constantFrom(...BACKEND_REQUESTS),
  evalLimit: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  weights: slotArb,
  activations: slotArb,
  overrides: fc.dictionary(fc.constantFrom('conv1', 'dw_1', 'block1/add', 'dense'), overrideArb, {
    maxKeys: 3,
  }),
  calibration: fc.integer({ min: 1, max: 8000 }),
  integer: fc.oneof(
    fc.constant(DEFAULT_CONFIG.integer),
    fc.record({
      enabled: fc.constant(true),
      accumulatorBits: fc.integer({ min: 8, max: 32 }),
      overflow: fc.constantFrom('wrap' as const, 'saturate' as const),
      requantization: fc.constantFrom('fixed-point' as const, 'float' as const),
    }),
  ),
  ptq: fc.record({
    cle: fc.boolean(),
    biasAbsorption: fc.boolean(),
    adaround: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })),
    biasCorrection: fc.constantFrom('off' as const, 'empirical' as const, 'analytic' as const),
  }),
  qat: fc.record({
    epochs: fc.integer({ min: 1, max: 50 }),
    batchSize: fc.integer({ min: 1, max: 1024 }),
    optimizer: fc.constantFrom('adam' as const, 'sgd' as const),
    learningRate: fc.double({ min: 1e-6, max: 1, noNaN: true }),
    learnRanges: fc.boolean(),
    bn: fc.constantFrom('fold' as const, 'keep' as const),
    trainLimit: fc.option(fc.integer({ min: 1, max: 100_000 }), { nil: null }),
  }),
  // Any set of groups, in the canonical order the codec writes them.
  hide: fc.subarray([...HIDE_GROUPS]),
});

/** Overrides with no slot set are not written to a link, so they do not come back. */
const withoutEmptyOverrides = (c: ExperimentConfig): ExperimentConfig => ({
  ...c,
  overrides: Object.fromEntries(
    Object.entries(c.overrides).filter(([, o]) => o.weights || o.activations),
  ),
});

describe('quantizer tokens', () => {
  it('formats the defaults and hand-written choices', () => {
    expect(formatQuantChoice(DEFAULT_CONFIG.weights)).toBe('8-sym-pc-minmax');
    expect(formatQuantChoice(DEFAULT_CONFIG.activations)).toBe('8-asym-pt-minmax');
    expect(parseQuantChoice('4-asym-pt-pct-p99.9-nr')).toEqual({
      bits: 4,
      scheme: 'asymmetric',
      granularity: 'per-tensor',
      range: 'percentile',
      percentile: 99.9,
      narrowRange: true,
    });
  });

  it('rejects out-of-range bit-widths and unknown parts', () => {
    for (const bad of [
      '1-sym-pc-minmax',
      '17-sym-pc-minmax',
      '8-sym-pc',
      '8-sym-pc-kl',
      '8-sym-pc-mse-nr-nr',
      'x',
    ]) {
      expect(parseQuantChoice(bad), bad).toBeUndefined();
    }
  });
});

describe('share-link codec', () => {
  it('round-trips every valid config', () => {
    fc.assert(
      fc.property(configArb, (c) => {
        const { config, problems } = decodeConfig(encodeConfig(c));
        expect(problems).toEqual([]);
        expect(config).toEqual(withoutEmptyOverrides(c));
      }),
    );
  });

  it('writes only non-default values, with the version first', () => {
    expect(encodeConfig(DEFAULT_CONFIG)).toBe('v=1');
    expect(encodeConfig({ ...DEFAULT_CONFIG, model: 'mlp', evalLimit: 16 })).toBe(
      'v=1&model=mlp&n=16',
    );
    const w4 = { ...DEFAULT_WEIGHTS, bits: 4, range: 'mse' as const };
    expect(
      encodeConfig({
        ...DEFAULT_CONFIG,
        weights: w4,
        overrides: { 'block1/conv': { activations: 'fp32' } },
      }),
    ).toBe('v=1&w=4-sym-pc-mse&a.block1/conv=fp32');
  });

  it('names each bad key and keeps its default', () => {
    const { config, problems } = decodeConfig(
      '#v=1&model=../../etc&backend=tpu&n=-3&seed=1e9x&w=40-sym-pc-minmax',
    );
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(problems.map((p) => p.code)).toEqual(Array(5).fill('LINK_INVALID'));
    expect(problems[1]?.message).toContain('"backend=tpu"');
    expect(problems[1]?.message).toContain('auto | webgpu | wasm | cpu');
    const w = problems.find((p) => p.message.includes('"w=40-sym-pc-minmax"'));
    expect(w?.message).toContain('bits 2..16');
  });

  it('reports a bad override by its key and keeps the others', () => {
    const { config, problems } = decodeConfig(
      'v=1&w.conv1=3-sym-pt-mse&a.conv1=99-sym-pt-ce&w.<x>=fp32',
    );
    expect(config.overrides).toEqual({
      conv1: {
        weights: { ...DEFAULT_WEIGHTS, bits: 3, granularity: 'per-tensor', range: 'mse' },
      },
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]?.message).toContain('"a.conv1=99-sym-pt-ce"');
    expect(problems[1]?.message).toContain('"w.<x>=fp32"');
    expect(problems[1]?.message).toContain('a layer name');
  });

  it('keeps the good keys of a partly bad link', () => {
    const { config, problems } = decodeConfig('v=1&model=mlp&backend=gpu');
    expect(config.model).toBe('mlp');
    expect(config.backend).toBe('auto');
    expect(problems).toHaveLength(1);
  });

  it('writes the integer mode as one token and rejects a bad one by name', () => {
    const on = {
      enabled: true,
      accumulatorBits: 16,
      overflow: 'saturate' as const,
      requantization: 'float' as const,
    };
    expect(encodeConfig({ ...DEFAULT_CONFIG, integer: on })).toBe('v=1&int=16-sat-float');
    const { config, problems } = decodeConfig('v=1&int=7-wrap-fixed');
    expect(config.integer.enabled).toBe(false);
    expect(problems[0]?.message).toContain('"int=7-wrap-fixed"');
  });

  it('writes the PTQ steps as one token in pipeline order and rejects others by name', () => {
    const ptq = {
      cle: true,
      biasAbsorption: true,
      adaround: 500,
      biasCorrection: 'empirical' as const,
    };
    expect(encodeConfig({ ...DEFAULT_CONFIG, ptq })).toBe('v=1&ptq=cle-ba-ar500-bce');
    expect(decodeConfig('v=1&ptq=cle-ba-ar500-bce').config.ptq).toEqual(ptq);
    expect(decodeConfig('v=1&ptq=bca').config.ptq).toEqual({
      ...DEFAULT_CONFIG.ptq,
      biasCorrection: 'analytic',
    });
    for (const bad of ['ba-cle', 'ar0', 'ar20001', 'cle--ba', 'cle-', 'bce-bca', 'xyz']) {
      const { config, problems } = decodeConfig(`v=1&ptq=${bad}`);
      expect(config.ptq).toEqual(DEFAULT_CONFIG.ptq);
      expect(problems[0]?.message).toContain(`"ptq=${bad}"`);
    }
  });

  it('writes the QAT settings as one token and rejects a bad one by name', () => {
    const qat = {
      epochs: 2,
      batchSize: 32,
      optimizer: 'sgd' as const,
      learningRate: 0.01,
      learnRanges: false,
      bn: 'keep' as const,
      trainLimit: 2000,
    };
    expect(encodeConfig({ ...DEFAULT_CONFIG, qat })).toBe(
      'v=1&qat=2ep-b32-sgd0.01-fixed-keepbn-t2000',
    );
    expect(decodeConfig('v=1&qat=2ep-b32-sgd0.01-fixed-keepbn-t2000').config.qat).toEqual(qat);
    expect(decodeConfig('v=1&qat=1ep-b64-adam0.001').config.qat).toEqual({
      ...DEFAULT_CONFIG.qat,
      epochs: 1,
      learningRate: 0.001,
    });
    // The defaults are not written.
    expect(encodeConfig(DEFAULT_CONFIG)).toBe('v=1');
    for (const bad of [
      '0ep-b64-adam0.001',
      '3ep-b64-adam2',
      '3ep-b64-rms0.1',
      '3ep-b64-adam.0010',
      '3ep',
    ]) {
      const { config, problems } = decodeConfig(`v=1&qat=${bad}`);
      expect(config.qat).toEqual(DEFAULT_CONFIG.qat);
      expect(problems[0]?.message).toContain(`"qat=${bad}"`);
    }
  });

  it('writes hidden control groups as one comma list and keeps the known ones of a bad list', () => {
    expect(encodeConfig({ ...DEFAULT_CONFIG, hide: ['qat', 'backend', 'seed'] })).toBe(
      'v=1&hide=backend,seed,qat',
    );
    const ok = decodeConfig('v=1&hide=qat,ptq,ptq,,upload');
    expect(ok.problems).toEqual([]);
    expect(ok.config.hide).toEqual(['upload', 'ptq', 'qat']);
    const { config, problems } = decodeConfig(
      'v=1&model=mlp&hide=backend,<b>x</b>,seed,__proto__,qat',
    );
    expect(config.hide).toEqual(['backend', 'seed', 'qat']);
    expect(config.model).toBe('mlp');
    expect(problems).toHaveLength(1);
    expect(problems[0]?.code).toBe('LINK_HIDE');
    expect(problems[0]?.message).toContain('"hide=<b>x</b>,__proto__"');
    expect(problems[0]?.message).toContain('overrides');
    expect(decodeConfig('v=1&hide=').config.hide).toEqual([]);
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
