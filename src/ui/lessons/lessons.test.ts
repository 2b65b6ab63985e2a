import katex from 'katex';
import { describe, expect, it } from 'vitest';
import { encodeConfig } from '@/config/codec';
import { LESSON_IDS, LESSON_LINKS } from '@/config/lessons';
import { mulberry32, randNormal } from '@/quant/random';
import type { LayerActivations, LayerWeights, QuantResult } from '@/store/types';
import { lessonById, lessonConfig, LESSONS, runKey } from './index';
import { slope } from './measure';
import type { LessonEvidence } from './types';

/** A finished run with the given accuracy and per-layer weight / activation SQNR. */
function run(
  accuracy: number,
  layers: Record<string, { w?: number; a?: number; headroom?: number }> = {},
  extra: Partial<QuantResult> = {},
): QuantResult {
  return {
    modelId: 'm',
    backend: 'wasm',
    link: 'v=1',
    stage: 'done',
    count: 300,
    fp32Accuracy: 0.98,
    quantAccuracy: accuracy,
    outputSqnrDb: 20,
    layers: Object.entries(layers).map(([node, l]) => ({
      node,
      layer: node,
      type: 'conv2d',
      outputShape: [null, 4],
      weight: l.w === undefined ? null : { choice: '8-sym-pc-minmax', sqnrDb: l.w, encoding: null },
      activation:
        l.a === undefined ? null : { choice: '8-asym-pt-minmax', sqnrDb: l.a, encoding: null },
      sensitivity: null,
      cumulative: null,
      integer:
        l.headroom === undefined
          ? null
          : {
              maxAbsAccumulator: 1,
              bitsNeeded: 16 - l.headroom,
              headroomBits: l.headroom,
              overflowFraction: 0,
              outputsOverflowedFraction: 0,
              codeAgreement: null,
            },
    })),
    folded: { batchNorms: [], activations: [] },
    warnings: [],
    integer: null,
    ptq: null,
    millis: { weights: 0, calibration: 0, evaluation: 0, sensitivity: 0 },
    ...extra,
  };
}

const evidence = (id: (typeof LESSON_IDS)[number], e: Partial<LessonEvidence>): LessonEvidence => ({
  config: lessonConfig(id),
  run: null,
  tried: null,
  weights: null,
  activations: null,
  debug: null,
  qat: null,
  boundary: null,
  triedBoundary: null,
  ...e,
});

const weights = (node: string, values: Float32Array, channels = 1): LayerWeights => ({
  node,
  link: 'v=1',
  values,
  shape: [values.length / channels, channels],
  channels,
});

const state = (id: (typeof LESSON_IDS)[number], e: Partial<LessonEvidence>) =>
  lessonById(id).outcome(evidence(id, e));

describe('lesson definitions', () => {
  it('there is one lesson per id, in order', () => {
    expect(LESSONS.map((l) => l.id)).toEqual([...LESSON_IDS]);
  });

  it.each(LESSON_IDS)('lesson %s: "try this" changes exactly one link key', (id) => {
    const base = new URLSearchParams(encodeConfig(lessonConfig(id)));
    const tried = new URLSearchParams(encodeConfig(lessonById(id).tryThis.apply(lessonConfig(id))));
    const keys = new Set([...base.keys(), ...tried.keys()]);
    const changed = [...keys].filter((k) => base.get(k) !== tried.get(k));
    expect(changed).toHaveLength(1);
    expect(runKey(lessonById(id).tryThis.apply(lessonConfig(id)))).not.toBe(
      runKey(lessonConfig(id)),
    );
  });

  it.each(LESSON_IDS)('lesson %s: its formula is valid TeX for KaTeX', (id) => {
    const html = katex.renderToString(lessonById(id).formula, {
      displayMode: true,
      throwOnError: true,
    });
    expect(html).toContain('katex-display');
  });

  it('runKey ignores the QAT settings (they never change a PTQ run)', () => {
    expect(runKey(LESSON_LINKS['9'])).toBe(runKey(LESSON_LINKS['9'].replace(/&qat=[^&]+/, '')));
  });
});

describe('lesson outcomes, hand-checked on example numbers', () => {
  it('slope fits a line exactly', () => {
    expect(slope([3, 4, 5], [20, 26, 32])).toBeCloseTo(6, 12);
  });

  it('1: uniform weights gain ~6.02 dB per bit; a table figure that disagrees fails', () => {
    const rng = mulberry32(1);
    const w = weights(
      'fc1',
      Float32Array.from({ length: 4096 }, () => rng() * 2 - 1),
    );
    const first = state('1', { run: run(0.97, { fc1: { w: 0 } }), weights: w });
    expect(first.state).toBe('fail'); // table W-SQNR 0 dB ≠ the page's 8-bit figure
    if (first.state === 'pending') throw new Error('measured');
    const perBit = first.values['perBit'] ?? NaN;
    expect(Math.abs(perBit - 6.02)).toBeLessThan(0.3);
    const table = first.values['sqnr8'] ?? NaN;
    expect(state('1', { run: run(0.97, { fc1: { w: table } }), weights: w }).state).toBe('pass');
    expect(state('1', { run: run(0.97) }).state).toBe('pending');
  });

  it('2: a ReLU-like sample wastes half the signed grid', () => {
    const rng = mulberry32(2);
    const values = Float32Array.from({ length: 5000 }, () => Math.max(0, randNormal(rng)));
    const a: LayerActivations = {
      node: 'conv1',
      link: 'v=1',
      values,
      channels: 1,
      images: 1,
      stride: 1,
    };
    const o = state('2', { run: run(0.98), activations: a });
    expect(o.state).toBe('pass');
    if (o.state === 'pending') throw new Error('measured');
    expect(o.values['used']).toBeLessThanOrEqual(0.5);
    expect(Math.abs((o.values['gain'] ?? 0) - 6.02)).toBeLessThan(1.5);
    // A two-sided sample uses both halves of the signed grid: nothing is wasted, no gain.
    const both = Float32Array.from({ length: 5000 }, () => randNormal(rng));
    const o2 = state('2', { run: run(0.98), activations: { ...a, values: both } });
    expect(o2.state).toBe('fail');
  });

  it('3: needs both runs; an 11-point gap passes, a 3-point gap fails', () => {
    expect(state('3', { run: run(0.87) }).state).toBe('pending');
    expect(state('3', { run: run(0.87), tried: run(0.98) }).state).toBe('pass');
    expect(state('3', { run: run(0.95), tried: run(0.98) }).state).toBe('fail');
  });

  it('4: Gaussian weights at 4 bits clip at the best threshold; MSE beats min-max', () => {
    const rng = mulberry32(4);
    const w = weights(
      'conv2',
      Float32Array.from({ length: 4608 }, () => randNormal(rng)),
    );
    const o = state('4', { run: run(0.97), weights: w });
    expect(o.state).toBe('pass');
    if (o.state === 'pending') throw new Error('measured');
    expect(o.values['bestAt']).toBeLessThan(0.9);
    expect(o.values['mseError']).toBeLessThan(o.values['minmaxError'] ?? 0);
  });

  it('5: needs dw1_bn folded into dw1 and channel ranges 20x apart', () => {
    const values = Float32Array.from([1, 50, -1, -50, 0.5, 10]); // channel 0: 1, channel 1: 50
    const folded = { batchNorms: [{ batchNorm: 'dw1_bn', into: 'dw1' }], activations: [] };
    const w = weights('dw1', values, 2);
    expect(state('5', { run: run(0.98, {}, { folded }), weights: w }).state).toBe('pass');
    expect(state('5', { run: run(0.98), weights: w }).state).toBe('fail');
    const flat = weights('dw1', Float32Array.from([1, 2, -1, -2]), 2);
    expect(state('5', { run: run(0.98, {}, { folded }), weights: flat }).state).toBe('fail');
  });

  const steps = (pairs: [string, number][]) =>
    pairs.map(([step, accuracy]) => ({
      step: step as 'baseline',
      label: step,
      accuracy,
      outputSqnrDb: 0,
      weightSqnrDb: {},
      millis: 0,
    }));
  const ptq = (p: Partial<NonNullable<QuantResult['ptq']>>): QuantResult['ptq'] => ({
    steps: [],
    cle: null,
    biasAbsorption: null,
    adaround: null,
    biasCorrection: null,
    ...p,
  });

  it('6: dw1 ranges 131.7x → 3.8x and +11 points pass; without the accuracy gain it fails', () => {
    const cle = {
      iterations: 1,
      pairs: [],
      ranges: [{ node: 'dw1', before: [0.478, 63], after: [1, 3.8] }],
    };
    const ok = ptq({
      cle,
      steps: steps([
        ['baseline', 0.87],
        ['cle', 0.98],
      ]),
    });
    expect(state('6', { run: run(0.98, {}, { ptq: ok }) }).state).toBe('pass');
    const flat = ptq({
      cle,
      steps: steps([
        ['baseline', 0.97],
        ['cle', 0.98],
      ]),
    });
    expect(state('6', { run: run(0.98, {}, { ptq: flat }) }).state).toBe('fail');
  });

  it('7: bias error 7.2e-2 → 9.1e-4 (79x) and +10 points pass; a 5x cut fails', () => {
    const bc = (after: number) =>
      ptq({
        biasCorrection: { mode: 'empirical', layers: [{ node: 'dw1', before: 7.2e-2, after }] },
        steps: steps([
          ['baseline', 0.87],
          ['bias-correction', 0.97],
        ]),
      });
    expect(state('7', { run: run(0.97, {}, { ptq: bc(9.1e-4) }) }).state).toBe('pass');
    expect(state('7', { run: run(0.97, {}, { ptq: bc(1.4e-2) }) }).state).toBe('fail');
  });

  it('8: AdaRound must lower the output MSE on every layer', () => {
    const layer = (nearestMse: number, adaroundMse: number) => ({
      node: 'conv2',
      iterations: 200,
      nearestMse,
      adaroundMse,
      nearestWeightMse: 1e-4,
      adaroundWeightMse: 2e-4,
      fractionChanged: 0.1,
      loss: [],
      millis: 0,
    });
    const r = (layers: ReturnType<typeof layer>[]) =>
      run(
        0.973,
        {},
        {
          ptq: ptq({
            adaround: layers,
            steps: steps([
              ['baseline', 0.967],
              ['adaround', 0.973],
            ]),
          }),
        },
      );
    expect(state('8', { run: r([layer(1.6e-2, 8.5e-3), layer(1.8e-2, 6.5e-3)]) }).state).toBe(
      'pass',
    );
    expect(state('8', { run: r([layer(1.6e-2, 8.5e-3), layer(1.8e-2, 2e-2)]) }).state).toBe('fail');
  });

  it('9: QAT 94.0% → 96.0% passes; +0.3 points fails', () => {
    const qat = (ptqAccuracy: number, accuracy: number) =>
      ({ ptqAccuracy, accuracy, fp32Accuracy: 0.96 }) as LessonEvidence['qat'];
    expect(state('9', { qat: qat(0.94, 0.96) }).state).toBe('pass');
    expect(state('9', { qat: qat(0.94, 0.943) }).state).toBe('fail');
    expect(state('9', {}).state).toBe('pending');
  });

  it('10: 10% integer vs 96% fake quant with headroom −2 passes; positive headroom fails', () => {
    const integer = { accuracy: 0.1 } as QuantResult['integer'];
    expect(state('10', { run: run(0.96, { conv1: { headroom: -2 } }, { integer }) }).state).toBe(
      'pass',
    );
    expect(state('10', { run: run(0.96, { conv1: { headroom: 1 } }, { integer }) }).state).toBe(
      'fail',
    );
  });

  it('11: the flow must blame the weights and put conv2’s weights first', () => {
    const report = (node: string) =>
      ({
        culprit: 'weights',
        weightsOnlyAccuracy: 0.75,
        activationsOnlyAccuracy: 0.98,
        quantizers: [{ node, kind: 'weights', type: 'conv2d', accuracy: 0.75 }],
      }) as unknown as LessonEvidence['debug'];
    expect(state('11', { debug: report('conv2') }).state).toBe('pass');
    expect(state('11', { debug: report('conv3') }).state).toBe('fail');
  });

  it('12: boundary cells differing 1% at 8 bits and 20% at 2 bits pass', () => {
    const boundary = (differ: number) => {
      const label = new Uint8Array(100);
      const quantized = label.map((_, i) => (i < differ ? 1 : 0));
      return {
        fp32: { label, confidence: new Float32Array(100) },
        quantized: { label: quantized, confidence: new Float32Array(100) },
      } as unknown as LessonEvidence['boundary'];
    };
    const e = { run: run(0.994), tried: run(0.626), boundary: boundary(1) };
    expect(state('12', e).state).toBe('pending');
    expect(state('12', { ...e, triedBoundary: boundary(20) }).state).toBe('pass');
    expect(state('12', { ...e, triedBoundary: boundary(5) }).state).toBe('fail');
  });
});
