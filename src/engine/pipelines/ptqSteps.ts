/**
 * Adapters from the PTQ algorithms (engine/ptq/) to the pipeline (ptq.ts): each step's
 * effect on the prepared weights, and its part of the report.
 */
import type { PtqConfig } from '@/config/schema';
import type { LabeledSet } from '../data/dataset';
import type { PtqReport } from '../events';
import { absorbHighBiases, type AbsorbResult } from '../ptq/biasAbsorption';
import { adaroundKernels, adaroundModel, type AdaRoundModelProgress } from '../ptq/adaroundModel';
import { analyticBiasCorrection, empiricalBiasCorrection } from '../ptq/biasCorrection';
import { equalize, type CleResult } from '../ptq/cle';
import { meanAbs, meanOutputShift, withPreActivationOutputs } from '../ptq/outputShift';
import { prepare } from '../quantsim/execute';
import { type IrRewrite, type PreparedWeights, withWeights } from '../quantsim/quantSim';

/** CLE then bias absorption (paper 3.2) as one IR rewrite, with their reports. */
export function ptqRewrite(ptq: PtqConfig) {
  let cle: CleResult | null = null;
  let absorbed: AbsorbResult | null = null;
  const apply: IrRewrite = (ir, bn) => {
    let out = { ir, bn };
    if (ptq.cle) {
      cle = equalize(out.ir, out.bn);
      out = { ir: cle.ir, bn: cle.bn };
    }
    if (ptq.biasAbsorption) {
      absorbed = absorbHighBiases(out.ir, out.bn);
      out = { ir: absorbed.ir, bn: absorbed.bn };
    }
    return out;
  };
  return {
    apply,
    cleReport: (): PtqReport['cle'] => {
      const c = cle as CleResult | null;
      return c
        ? {
            iterations: c.iterations,
            pairs: c.pairs.map(({ first, second }) => ({ first, second })),
            ranges: [...c.ranges].map(([node, r]) => ({
              node,
              before: Array.from(r.before),
              after: Array.from(r.after),
            })),
          }
        : null;
    },
    absorptionReport: (): PtqReport['biasAbsorption'] => {
      const a = absorbed as AbsorbResult | null;
      return a ? a.absorbed.map(({ node, next, channels }) => ({ node, next, channels })) : null;
    },
  };
}

interface StepOptions {
  shouldStop?: () => boolean;
  onProgress?: (phase: string, done: number, total: number) => void;
}

const quantizedKernels = (p: PreparedWeights) =>
  new Map([...p.weights].map(([n, w]) => [n, w.quantized]));

type AdaRoundRow = NonNullable<PtqReport['adaround']>[number];

/**
 * AdaRound (paper 3.4, Eq. 35) of every quantized kernel, layer by layer on the calibration
 * set, weights-only (x̂ carries the earlier layers' rounded weights). The report keeps the
 * layer-output MSE of nearest and learned rounding and the loss curve; the layer being
 * optimised has a row too (MSEs NaN, its loss so far), so a live view can draw it as it goes.
 */
export async function adaroundStep(
  prepared: PreparedWeights,
  calibration: LabeledSet,
  iterations: number,
  seed: number,
  options: StepOptions & { onRows?: (rows: AdaRoundRow[]) => void } = {},
): Promise<{ prepared: PreparedWeights; report: AdaRoundRow[] }> {
  const encodings = new Map([...prepared.weights].map(([n, w]) => [n, w.encodings]));
  const rows: AdaRoundRow[] = [];
  const onProgress = (p: AdaRoundModelProgress) => {
    let row = rows[p.layer];
    if (!row) {
      row = {
        node: p.node,
        iterations: 0,
        nearestMse: NaN,
        adaroundMse: NaN,
        nearestWeightMse: NaN,
        adaroundWeightMse: NaN,
        fractionChanged: NaN,
        loss: [],
        millis: 0,
      };
      rows[p.layer] = row;
    }
    row.iterations = p.iteration;
    const { iteration, total, reconstruction } = p.stats;
    row.loss.push({ iteration, total, reconstruction });
    options.onRows?.(rows);
    options.onProgress?.(
      `AdaRound ${p.node} (layer ${p.layer + 1}/${p.layers}), loss ${total.toExponential(2)}`,
      p.layer * p.iterations + p.iteration,
      p.layers * p.iterations,
    );
  };
  const results = await adaroundModel(
    prepared.ir,
    encodings,
    quantizedKernels(prepared),
    calibration,
    {
      iterations,
      seed,
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      onProgress,
      onLayer: (r, layer) => {
        rows[layer] = {
          node: r.node,
          iterations: r.iterations,
          nearestMse: r.reconstructionMse.nearest,
          adaroundMse: r.reconstructionMse.adaround,
          nearestWeightMse: r.weightMse.nearest,
          adaroundWeightMse: r.weightMse.adaround,
          fractionChanged: r.fractionChanged,
          loss: r.lossCurve.map(({ iteration, total, reconstruction }) => ({
            iteration,
            total,
            reconstruction,
          })),
          millis: r.millis,
        };
        options.onRows?.(rows);
      },
    },
  );
  return { prepared: withWeights(prepared, adaroundKernels(results)), report: rows };
}

/**
 * Bias correction (paper 3.3) of the prepared (possibly AdaRounded) kernels; the report gives,
 * per corrected layer, the mean over channels of |E[y_q − y_fp]| of its pre-activation on
 * `measureOn` (weights-only quantized model vs FP), before and after (NaN without a set).
 */
export async function biasCorrectionStep(
  prepared: PreparedWeights,
  mode: 'empirical' | 'analytic',
  calibration: LabeledSet,
  measureOn: LabeledSet | null,
  options: StepOptions = {},
): Promise<{ prepared: PreparedWeights; report: NonNullable<PtqReport['biasCorrection']> }> {
  const kernels = quantizedKernels(prepared);
  const stop = options.shouldStop ? { shouldStop: options.shouldStop } : {};
  const biases =
    mode === 'analytic'
      ? analyticBiasCorrection(prepared.ir, prepared.bn, kernels)
      : await empiricalBiasCorrection(prepared.ir, kernels, calibration, {
          ...stop,
          onProgress: (done, total) => options.onProgress?.('Bias correction', done, total),
        });
  const corrected = withWeights(prepared, new Map([...biases].map(([n, bias]) => [n, { bias }])));
  const nodes = [...biases.keys()];
  const none = new Map<string, number>();
  const before = measureOn ? await preActivationShift(prepared, measureOn, nodes, stop) : none;
  const after = measureOn ? await preActivationShift(corrected, measureOn, nodes, stop) : none;
  return {
    prepared: corrected,
    report: {
      mode,
      layers: nodes.map((node) => ({
        node,
        before: before.get(node) ?? NaN,
        after: after.get(node) ?? NaN,
      })),
    },
  };
}

/** node → mean |E[y_q − y_fp]| over channels of its pre-activation, weights-only quantized. */
async function preActivationShift(
  p: PreparedWeights,
  set: LabeledSet,
  nodes: readonly string[],
  options: { shouldStop?: () => boolean },
): Promise<Map<string, number>> {
  const ir = withPreActivationOutputs(p.ir);
  const fp = prepare(ir, { placement: [] });
  const q = prepare(ir, {
    placement: [],
    weightTransform: (n, name, values) => {
      const w = p.weights.get(n.name);
      return (name === 'kernel' ? w?.quantized : name === 'bias' ? w?.bias : null) ?? values;
    },
  });
  try {
    const shift = await meanOutputShift(fp, q, set, nodes, options);
    return new Map([...shift].map(([n, v]) => [n, meanAbs(v)]));
  } finally {
    fp.dispose();
    q.dispose();
  }
}
