/** Lessons 1-5: the quantizer itself (paper section 2). Figures measured live, see measure.ts. */
import { clipCurve, clipThresholds, bestClip } from '@/quant/clipCurve';
import { weightSpec } from '@/config/slotSpec';
import { fakeQuant } from '@/quant/affine';
import { mse } from '@/quant/metrics';
import { resolveEncodings } from '@/quant/resolve';
import type { QuantChoice } from '@/config/quantChoice';
import type { ExperimentConfig } from '@/config/schema';
import type { LayerWeights } from '@/store/types';
import {
  accuracy,
  activationGridUse,
  aSqnr,
  channelRangeRatio,
  db,
  pct,
  pending,
  points,
  slope,
  verdict,
  weightSqnrAt,
  wSqnr,
} from './measure';
import type { Lesson } from './types';

const SIX_DB = 20 * Math.log10(2);
const choiceOf = (c: ExperimentConfig, kind: 'weights' | 'activations'): QuantChoice | null => {
  const v = c[kind];
  return v === 'fp32' ? null : v;
};
const patch = (c: ExperimentConfig, kind: 'weights' | 'activations', p: Partial<QuantChoice>) => {
  const v = choiceOf(c, kind);
  return v ? { ...c, [kind]: { ...v, ...p } } : c;
};
const RUNNING = 'waiting for the lesson’s run and its layer’s tensors';

export const BITS_1 = [3, 4, 5, 6, 7, 8];

const roundingNoise: Lesson = {
  id: '1',
  title: 'Rounding noise: about 6 dB of SQNR per bit',
  paper: '2.2',
  explanation:
    'A b-bit grid over a fixed range has step Δ = range/(2^b − 1). Rounding errors are roughly uniform in [−Δ/2, Δ/2], so their power is Δ²/12: each extra bit halves Δ, quarters the noise and adds 20·log10(2) ≈ 6.02 dB of signal-to-quantization-noise ratio.',
  formula: String.raw`\begin{gathered}\Delta = \frac{q_{\max}-q_{\min}}{2^b-1} \\ \mathbb{E}\big[(x-\hat x)^2\big] \approx \frac{\Delta^2}{12} \\ \mathrm{SQNR}(b+1)-\mathrm{SQNR}(b) \approx 20\log_{10}2 = 6.02\ \mathrm{dB}\end{gathered}`,
  lookAt:
    'fc1’s row in the layer table (W-SQNR) and its weight histogram: the grid ticks under the histogram. The page re-quantizes fc1’s kernel at 3..8 bits and fits the slope.',
  focus: 'fc1',
  tryThis: {
    label: 'Set the weights to 4 bits',
    apply: (c) => patch(c, 'weights', { bits: 4 }),
    moved: (run, tried) => {
      const [a, b] = [wSqnr(run, 'fc1'), wSqnr(tried, 'fc1')];
      return `fc1 W-SQNR ${db(a)} → ${db(b)}: ${((a - b) / 4).toFixed(2)} dB per bit removed; output SQNR ${db(run.outputSqnrDb ?? NaN)} → ${db(tried.outputSqnrDb ?? NaN)}.`;
    },
  },
  expected: 'fc1’s W-SQNR rises 6.02 ± 1.5 dB per bit from 3 to 8 bits.',
  outcome: (e) => {
    const w = choiceOf(e.config, 'weights');
    if (!e.run || !e.weights || !w) return pending(RUNNING);
    const sqnr = BITS_1.map((b) => weightSqnrAt(e.weights as LayerWeights, w, b));
    const perBit = slope(BITS_1, sqnr);
    const table = wSqnr(e.run, 'fc1');
    const at8 = sqnr.at(-1) ?? NaN;
    return verdict(
      Math.abs(perBit - SIX_DB) <= 1.5 && Math.abs(at8 - table) < 0.1,
      `SQNR rose ${perBit.toFixed(2)} dB per bit (expected 6.02 ± 1.5); at 8 bits ${db(at8)}, the table says ${db(table)}.`,
      { perBit, sqnr8: at8, table8: table, sqnr3: sqnr[0] ?? NaN },
    );
  },
};

const symmetricRelu: Lesson = {
  id: '2',
  title: 'Symmetric vs asymmetric grids on ReLU outputs',
  paper: '2.2.1',
  explanation:
    'After a ReLU every value is ≥ 0. A signed symmetric grid keeps codes −128..−1 for values that never occur, so half of the grid is wasted: the step is twice the asymmetric (or unsigned) one, one bit lost, about 6 dB less SQNR.',
  formula: String.raw`\begin{gathered}\text{signed: } x_{\text{int}} = \operatorname{clamp}\!\big(\lfloor x/s \rceil; -2^{b-1}, 2^{b-1}-1\big),\ s = \frac{\max x}{2^{b-1}-1} \\ \text{asym.: } s = \frac{\max x - \min x}{2^b-1}\end{gathered}`,
  lookAt:
    'conv1’s activation histogram (ReLU fused): the grid ticks left of zero are never reached. The page quantizes conv1’s FP32 output sample both ways.',
  focus: 'conv1',
  tryThis: {
    label: 'Make the activations asymmetric',
    apply: (c) => patch(c, 'activations', { scheme: 'asymmetric' }),
    moved: (run, tried) =>
      `conv1 A-SQNR ${db(aSqnr(run, 'conv1'))} → ${db(aSqnr(tried, 'conv1'))}; output SQNR ${db(run.outputSqnrDb ?? NaN)} → ${db(tried.outputSqnrDb ?? NaN)}; accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}.`,
  },
  expected:
    'The symmetric grid uses at most half of its codes on conv1’s output, and the asymmetric grid gains at least 4.5 dB (the one-bit rule says 6.02; real ReLU outputs, crowded near zero, can gain more).',
  outcome: (e) => {
    const a = choiceOf(e.config, 'activations');
    if (!e.run || !e.activations || !a) return pending(RUNNING);
    const sym = activationGridUse(e.activations, a);
    const asym = activationGridUse(e.activations, { ...a, scheme: 'asymmetric' });
    const used = sym.codesUsed / sym.gridSize;
    const gain = asym.sqnrDb - sym.sqnrDb;
    return verdict(
      used <= 0.5 + 1 / sym.gridSize && gain >= SIX_DB - 1.5,
      `symmetric used ${sym.codesUsed} of ${sym.gridSize} codes (${pct(used)}); asymmetric ${db(asym.sqnrDb)} vs symmetric ${db(sym.sqnrDb)}: +${gain.toFixed(2)} dB (expected ≥ 4.5; one bit is 6.02).`,
      { used, gain, symSqnr: sym.sqnrDb, asymSqnr: asym.sqnrDb },
    );
  },
};

const perChannel: Lesson = {
  id: '3',
  title: 'Per-tensor vs per-channel weights on depthwise layers',
  paper: '2.2.3, 3.2',
  explanation:
    'One scale for a whole tensor must cover its widest channel. In dwsep’s depthwise layers (9 weights per channel) BN folding left channel ranges 75–133× apart, so per-tensor 8-bit weights round the narrow channels to a few codes. Per-channel scales give each output channel its own grid.',
  formula: String.raw`\begin{gathered}\text{per-tensor: } s = \frac{\max_{k,j}|W_{k,j}|}{2^{b-1}-1} \\ \text{per-channel: } s_k = \frac{\max_j |W_{k,j}|}{2^{b-1}-1}\end{gathered}`,
  lookAt:
    'dw1’s per-channel ranges chart (the paper’s Fig. 5), the A-SQNR column falling along the network, and the accuracy. Then press “Try this”.',
  focus: 'dw1',
  tryThis: {
    label: 'Switch the weights to per-channel',
    apply: (c) => patch(c, 'weights', { granularity: 'per-channel' }),
    moved: (run, tried) =>
      `accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}; dw1 W-SQNR ${db(wSqnr(run, 'dw1'))} → ${db(wSqnr(tried, 'dw1'))}; pw4 A-SQNR ${db(aSqnr(run, 'pw4'))} → ${db(aSqnr(tried, 'pw4'))}.`,
  },
  expected: 'Per-channel weights beat per-tensor by at least 5 accuracy points on dwsep at 8 bits.',
  outcome: (e) => {
    if (!e.run) return pending(RUNNING);
    if (!e.tried) return pending('press “Try this” to run the same model per-channel');
    const [pt, pc] = [accuracy(e.run), accuracy(e.tried)];
    const gap = points(pc, pt);
    return verdict(
      gap >= 5,
      `per-tensor ${pct(pt)}, per-channel ${pct(pc)}: +${gap.toFixed(1)} points (expected ≥ 5; FP32 ${pct(e.run.fp32Accuracy ?? NaN)}).`,
      { perTensor: pt, perChannel: pc, gap },
    );
  },
};

/** Lesson 4's curve: conv2's kernel on the lesson's 4-bit signed grid (also drawn by ClipCurveChart). */
export function rangeCurve(w: LayerWeights, bits: number) {
  const thresholds = clipThresholds(w.values, 40);
  const curve = clipCurve(w.values, bits, thresholds);
  return { curve, best: bestClip(curve), peak: thresholds.at(-1) ?? 0 };
}

/** MSE of the kernel under one range method at the lesson's grid. */
function rangeError(w: LayerWeights, choice: QuantChoice, range: QuantChoice['range']): number {
  const spec = weightSpec({ ...choice, range });
  if (!spec) return NaN;
  const enc = resolveEncodings(spec, { data: w.values, layout: { channels: 1, inner: 1 } });
  return mse(w.values, fakeQuant(w.values, enc));
}

const rangeSetting: Lesson = {
  id: '4',
  title: 'Range setting at 4 bits: min-max vs MSE vs percentile',
  paper: '2.2, 3.1',
  explanation:
    'Min-max never clips, but an outlier stretches the grid and every other weight pays in rounding error. Clipping at a smaller threshold trades a little clipping error for much less rounding error; MSE range setting picks the threshold where the sum is smallest. At 4 bits the trade-off is large. It is a local cost (paper 3.1): a smaller weight error need not give a higher accuracy, as “Try this” shows.',
  formula: String.raw`\begin{gathered}\underset{q_{\min},\,q_{\max}}{\arg\min}\ \lVert V-\hat V\rVert_F^2,\quad R=[q_{\min},q_{\max}] \\ \lVert V-\hat V\rVert_F^2 = \underbrace{\textstyle\sum_{x\notin R}(x-\hat x)^2}_{\text{clipping}} + \underbrace{\textstyle\sum_{x\in R}(x-\hat x)^2}_{\text{rounding}\,\approx\,\Delta^2/12\ \text{each}}\end{gathered}`,
  lookAt:
    'The curve below: clipping error falls and rounding error rises as the threshold grows; min-max is the right end. Also conv2’s weight histogram and its clipping/rounding split bar.',
  focus: 'conv2',
  tryThis: {
    label: 'Set the weight range to MSE',
    apply: (c) => patch(c, 'weights', { range: 'mse' }),
    moved: (run, tried) =>
      `conv2 W-SQNR ${db(wSqnr(run, 'conv2'))} → ${db(wSqnr(tried, 'conv2'))}; accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}.`,
  },
  expected:
    'conv2’s least-error 4-bit threshold clips (below 0.9·max|w|), and the MSE range has lower error than min-max.',
  outcome: (e) => {
    const w = choiceOf(e.config, 'weights');
    if (!e.run || !e.weights || !w) return pending(RUNNING);
    const { best, peak } = rangeCurve(e.weights, w.bits);
    const errors = {
      minmax: rangeError(e.weights, w, 'min-max'),
      mse: rangeError(e.weights, w, 'mse'),
      percentile: rangeError(e.weights, w, 'percentile'),
    };
    const at = (best?.threshold ?? peak) / peak;
    return verdict(
      at < 0.9 && errors.mse < errors.minmax,
      `least error at ${at.toFixed(2)}·max|w|; MSE ${errors.mse.toExponential(2)} (MSE range) vs ${errors.minmax.toExponential(2)} (min-max) vs ${errors.percentile.toExponential(2)} (99.99th percentile).`,
      { bestAt: at, mseError: errors.mse, minmaxError: errors.minmax, pctError: errors.percentile },
    );
  },
};

const bnFolding: Lesson = {
  id: '5',
  title: 'BN folding and the weight ranges',
  paper: '2.3.1',
  explanation:
    'Folding batch norm into the preceding conv scales output channel k by γ_k/√(σ_k²+ε). A channel with a tiny variance (dwsep has dead channels, σ² → 0) is scaled by up to 1/√ε ≈ 316, so the folded kernel’s channel ranges spread far apart: what is quantized is W̃, not W.',
  formula: String.raw`\begin{gathered}\widetilde W_{k,:} = \frac{\gamma_k}{\sqrt{\sigma_k^2+\epsilon}}\,W_{k,:} \\ \tilde b_k = \beta_k - \frac{\gamma_k\,\mu_k}{\sqrt{\sigma_k^2+\epsilon}}\end{gathered}`,
  lookAt:
    'The “Folded:” line of the summary (dw1_bn → dw1) and dw1’s per-channel ranges chart of the folded kernel.',
  focus: 'dw1',
  tryThis: {
    label: 'Switch the weights to per-tensor',
    apply: (c) => patch(c, 'weights', { granularity: 'per-tensor' }),
    moved: (run, tried) =>
      `accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}; dw1 A-SQNR ${db(aSqnr(run, 'dw1'))} → ${db(aSqnr(tried, 'dw1'))}: the folded ranges no longer fit one grid.`,
  },
  expected: 'dw1_bn is folded into dw1, and dw1’s folded channel ranges differ by at least 20×.',
  outcome: (e) => {
    if (!e.run || !e.weights) return pending(RUNNING);
    const folded = e.run.folded.batchNorms.some(
      (f) => f.batchNorm === 'dw1_bn' && f.into === 'dw1',
    );
    const r = channelRangeRatio(e.weights);
    return verdict(
      folded && r >= 20,
      `${folded ? 'dw1_bn folded into dw1' : 'dw1_bn not folded'}; folded channel ranges ${r.toFixed(1)}× apart (expected ≥ 20×).`,
      { ratio: r, folded: folded ? 1 : 0 },
    );
  },
};

export const FUNDAMENTALS: Lesson[] = [
  roundingNoise,
  symmetricRelu,
  perChannel,
  rangeSetting,
  bnFolding,
];
