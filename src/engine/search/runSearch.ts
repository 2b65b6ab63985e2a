/**
 * The mixed-precision search as a streamed job: prepare every candidate width, measure FP32,
 * run the search (quant/mixedSearch.ts) on the calibration split, then confirm the front's
 * points near the budget and the uniform configurations on the test split, and re-run the
 * chosen config through the quantization pipeline (runQuantEval) as a cross-check of its link.
 */
import type * as tf from '@tensorflow/tfjs';
import { decodeConfig, encodeConfig } from '@/config/codec';
import { playgroundError } from '@/config/errors';
import { MAX_BITS, MIN_BITS } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import { configCost } from '@/quant/bitCost';
import { type Assignment, mixedSearch } from '@/quant/mixedSearch';
import type { LabeledSet } from '../data/dataset';
import type {
  BackendName,
  Progress,
  SearchOptions,
  SearchPoint,
  SearchResult,
  SearchUpdate,
} from '../events';
import { runQuantEval } from '../pipelines/quantEval';
import { prepareWeights } from '../quantsim/quantSim';
import { createAssignmentEvaluator } from './evaluator';
import { assignmentConfig, bitWidths, searchBase, searchSpace, type SearchSpace } from './space';

export interface SearchInput {
  modelId: string;
  backend: BackendName;
  model: tf.LayersModel;
  config: ExperimentConfig;
  options: SearchOptions;
  /** Range setting. */
  calibration: LabeledSet;
  /** The search's own evaluations (calibration-split images). */
  searchSet: LabeledSet;
  /** Confirmation of the chosen points. */
  test: LabeledSet;
  shouldStop?: () => boolean;
  onUpdate?: (u: SearchUpdate) => void;
}

/** Test-split runs at most: candidates (cheapest meeting the target first), then uniform. */
const MAX_CONFIRMED = 24;
/** The cheapest points meeting the target on the search split that are confirmed. */
const MAX_CANDIDATES = 10;

function uniformOf(space: SearchSpace, a: Assignment): SearchPoint['uniform'] {
  const side = (kind: 'weights' | 'activations') => [
    ...new Set(space.knobs.filter((k) => k.kind === kind).map((k) => a[k.id])),
  ];
  const w = side('weights');
  const b = side('activations');
  return w.length <= 1 && b.length <= 1 ? { weights: w[0] ?? 32, activations: b[0] ?? 32 } : null;
}

/** Options from outside (the worker's caller, the CLI) are checked before any work. */
export function checkSearchOptions(o: SearchOptions): void {
  const bad = (field: string, value: unknown, expected: string) => {
    throw playgroundError('SEARCH_OPTIONS', { field, value: JSON.stringify(value), expected });
  };
  const widths = `a non-empty list of bit-widths from ${MIN_BITS} to ${MAX_BITS}`;
  for (const field of ['weightBits', 'activationBits'] as const) {
    const v = o[field];
    const ok = Array.isArray(v) && v.length > 0 && v.length <= 15;
    if (!ok || !v.every((b) => Number.isInteger(b) && b >= MIN_BITS && b <= MAX_BITS))
      bad(field, v, widths);
  }
  if (!Number.isFinite(o.budget) || o.budget < 0 || o.budget > 100)
    bad('budget', o.budget, 'accuracy points from 0 to 100');
  if (o.objective !== 'bops' && o.objective !== 'size')
    bad('objective', o.objective, 'bops or size');
  const limit = o.exhaustiveLimit ?? 0;
  if (!Number.isInteger(limit) || limit < 0 || limit > 100_000)
    bad('exhaustiveLimit', limit, 'an integer from 0 to 100000');
}

export async function runSearch(input: SearchInput): Promise<SearchResult> {
  const t0 = performance.now();
  const { options, shouldStop } = input;
  checkSearchOptions(options);
  const config = searchBase(input.config);
  const prepared = await prepareWeights(input.model, config);
  const space = searchSpace(prepared.ir, prepared.plan, {
    weights: options.weightBits,
    activations: options.activationBits,
  });
  const result: SearchResult = {
    modelId: input.modelId,
    link: encodeConfig(config),
    options: structuredClone(options),
    stage: 'preparing',
    knobs: space.knobs.map((k) => k.id),
    searchCount: input.searchSet.count,
    testCount: input.test.count,
    fp32: { search: null, test: null },
    target: null,
    points: [],
    frontBops: [],
    frontSize: [],
    searchChosen: null,
    chosen: null,
    bestUniform: null,
    pipelineAccuracy: null,
    sensitivity: [],
    warnings: [...prepared.plan.warnings],
    millis: { prepare: 0, search: 0, confirm: 0 },
  };
  const hadPtq = encodeConfig(input.config) !== encodeConfig({ ...input.config, ptq: config.ptq });
  if (hadPtq)
    result.warnings.push('PTQ steps are off during the search: every point rounds to nearest.');
  const send = (progress: Progress) =>
    input.onUpdate?.({ progress, result: structuredClone(result) });
  const evaluator = await createAssignmentEvaluator({
    model: input.model,
    config,
    space,
    bits: { weights: options.weightBits, activations: options.activationBits },
    calibration: input.calibration,
    ...(shouldStop ? { shouldStop } : {}),
    onProgress: (done, total) => send({ phase: 'Preparing candidate bit-widths', done, total }),
  });
  try {
    result.fp32.search = await evaluator.fp32(input.searchSet, shouldStop);
    result.target = result.fp32.search - options.budget / 100;
    result.millis.prepare = performance.now() - t0;
    result.stage = 'searching';
    const t1 = performance.now();
    const cost = (a: Assignment) => configCost(space.layers, bitWidths(space, a));
    const outcome = await mixedSearch({
      knobs: space.knobs,
      cost,
      evaluate: (a) => evaluator.accuracy(a, input.searchSet, shouldStop),
      target: result.target,
      objective: options.objective,
      exhaustiveLimit: options.exhaustiveLimit ?? 0,
      onEvaluated: (p, done, planned) => {
        const c = cost(p.assignment);
        const bits = bitWidths(space, p.assignment);
        result.points.push({
          key: p.key,
          phase: p.phase,
          link: encodeConfig(assignmentConfig(config, space, p.assignment)),
          weights: { ...bits.weights },
          activations: { ...bits.activations },
          accuracy: p.accuracy,
          testAccuracy: null,
          cost: { sizeBits: c.sizeBits, bops: c.bops, maxAccumulatorBits: c.maxAccumulatorBits },
          uniform: uniformOf(space, p.assignment),
        });
        send({ phase: `Search: ${p.phase}`, done, total: planned });
      },
    });
    Object.assign(result, {
      frontBops: outcome.frontBops,
      frontSize: outcome.frontSize,
      searchChosen: outcome.chosen,
      sensitivity: outcome.sensitivity,
    });
    result.millis.search = performance.now() - t1;
    await confirm(input, result, outcome.points, evaluator, send);
  } finally {
    evaluator.dispose();
  }
  result.stage = 'done';
  send({ phase: 'Done', done: 1, total: 1 });
  return result;
}

/** Test-split accuracy of the points worth reporting, then the pipeline cross-check. */
async function confirm(
  input: SearchInput,
  result: SearchResult,
  evaluated: readonly { key: string; assignment: Assignment }[],
  evaluator: Awaited<ReturnType<typeof createAssignmentEvaluator>>,
  send: (p: Progress) => void,
): Promise<void> {
  const t = performance.now();
  result.stage = 'confirming';
  const target = result.target ?? 0;
  const slack = input.options.budget / 100;
  const byKey = new Map(result.points.map((p) => [p.key, p]));
  const costOf = (p: SearchPoint) =>
    input.options.objective === 'bops' ? p.cost.bops : p.cost.sizeBits;
  const front = input.options.objective === 'bops' ? result.frontBops : result.frontSize;
  // Candidates: the cheapest points meeting the target on the search split, the front above
  // the target, and the uniform configurations (the baseline the chosen point must beat).
  const feasible = result.points.filter((p) => p.accuracy >= target);
  const cheapest = [...feasible].sort((a, b) => costOf(a) - costOf(b)).slice(0, MAX_CANDIDATES);
  const upper = front.filter((k) => (byKey.get(k)?.accuracy ?? 0) >= target);
  const uniform = result.points.filter((p) => p.uniform).map((p) => p.key);
  const keys = [
    ...new Set(
      [result.searchChosen, ...cheapest.map((p) => p.key), ...upper, ...uniform].filter(
        (k): k is string => !!k,
      ),
    ),
  ];
  const todo = keys.slice(0, MAX_CONFIRMED);
  result.fp32.test = await evaluator.fp32(input.test, input.shouldStop);
  for (const [i, key] of todo.entries()) {
    const a = evaluated.find((p) => p.key === key)?.assignment;
    const point = byKey.get(key);
    if (!a || !point) continue;
    point.testAccuracy = await evaluator.accuracy(a, input.test, input.shouldStop);
    send({ phase: 'Confirming on the test split', done: i + 1, total: todo.length + 1 });
  }
  const meets = (p: SearchPoint) =>
    p.testAccuracy !== null && p.testAccuracy >= (result.fp32.test ?? 0) - slack;
  const best = result.points
    .filter((p) => p.uniform && meets(p))
    .sort((a, b) => costOf(a) - costOf(b))[0];
  result.bestUniform = best?.key ?? null;
  // Train images flatter a quantized model (it was fit on them), so the proposal is checked:
  // the cheapest candidate meeting the target on the search split and the budget on the test
  // split is the chosen one.
  const held = keys
    .map((k) => byKey.get(k))
    .filter((p): p is SearchPoint => !!p && p.accuracy >= target && meets(p));
  result.chosen = held.sort((a, b) => costOf(a) - costOf(b))[0]?.key ?? null;
  if (result.chosen !== result.searchChosen)
    result.warnings.push(
      result.chosen
        ? 'The cheapest point meeting the target on the search split missed the budget on the test split; the chosen point is the cheapest candidate that met it there.'
        : 'No confirmed candidate met the budget on the test split.',
    );
  const chosen = result.chosen ? byKey.get(result.chosen) : undefined;
  if (chosen) {
    const r = await runQuantEval({
      modelId: input.modelId,
      backend: input.backend,
      model: input.model,
      config: {
        ...decodeConfig(chosen.link).config,
        integer: { ...input.config.integer, enabled: false },
      },
      calibration: input.calibration,
      evaluation: input.test,
      sensitivity: false,
      ...(input.shouldStop ? { shouldStop: input.shouldStop } : {}),
    });
    result.pipelineAccuracy = r.quantAccuracy;
  }
  send({ phase: 'Confirming on the test split', done: todo.length + 1, total: todo.length + 1 });
  result.millis.confirm = performance.now() - t;
}
