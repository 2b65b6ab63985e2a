/** Lessons 6-12: PTQ steps, QAT, the integer path and the debugging flow (paper 2.1, 3, 4). */
import type { QuantResult } from '@/store/types';
import {
  accuracy,
  boundaryDisagreement,
  db,
  pct,
  pending,
  points,
  ratio,
  verdict,
  wSqnr,
} from './measure';
import type { Lesson } from './types';

const RUNNING = 'waiting for the lesson’s run';
const step = (r: QuantResult, s: string) => r.ptq?.steps.find((x) => x.step === s)?.accuracy ?? NaN;

const cle: Lesson = {
  id: '6',
  title: 'Cross-layer equalization',
  paper: '3.2',
  explanation:
    'ReLU is positively homogeneous, f(sx) = s·f(x), so output channel i of one layer can be divided by s_i and the matching input channel of the next multiplied by s_i without changing the FP32 function. CLE picks s_i so both layers’ channel ranges become √(r₁r₂): the depthwise kernels’ wild ranges even out and per-tensor quantization works.',
  formula: String.raw`\begin{gathered}\widetilde W^{(1)} = S^{-1}W^{(1)},\quad \widetilde W^{(2)} = W^{(2)}S \\ s_i = \frac{1}{r_i^{(2)}}\sqrt{r_i^{(1)}r_i^{(2)}} = \sqrt{r_i^{(1)}/r_i^{(2)}}\end{gathered}`,
  lookAt:
    'The PTQ report: the per-channel ranges before and after CLE, and the ladder (round to nearest → + CLE). dw1’s per-channel ranges chart shows the equalized kernel.',
  focus: 'dw1',
  tryThis: {
    label: 'Turn CLE (and bias absorption) off',
    apply: (c) => ({ ...c, ptq: { ...c.ptq, cle: false, biasAbsorption: false } }),
    moved: (run, tried) =>
      `accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}; dw1 W-SQNR ${db(wSqnr(run, 'dw1'))} → ${db(wSqnr(tried, 'dw1'))}.`,
  },
  expected:
    'CLE shrinks dw1’s channel-range spread at least 5× and lifts per-tensor W8 accuracy by at least 5 points.',
  outcome: (e) => {
    const ranges = e.run?.ptq?.cle?.ranges.find((r) => r.node === 'dw1');
    if (!e.run || !ranges) return pending(RUNNING);
    const [before, after] = [ratio(ranges.before), ratio(ranges.after)];
    const gain = points(step(e.run, 'cle'), step(e.run, 'baseline'));
    return verdict(
      before / after >= 5 && gain >= 5,
      `dw1 channel ranges ${before.toFixed(1)}× → ${after.toFixed(1)}× apart; accuracy ${pct(step(e.run, 'baseline'))} → ${pct(step(e.run, 'cle'))} (+${gain.toFixed(1)} points, expected ≥ 5).`,
      { before, after, gain },
    );
  },
};

const biasCorrection: Lesson = {
  id: '7',
  title: 'Bias correction',
  paper: '3.3',
  explanation:
    'Quantization error is often biased: E[Ŵx] ≠ E[Wx], worst in depthwise layers where 9 weights feed an output. ΔW is constant, so the shift is ΔW·E[x]; subtracting it from the bias (measured on calibration data, or from the BN statistics) removes it at no cost at inference.',
  formula: String.raw`\begin{gathered}\mathbb{E}[\hat y] = \mathbb{E}[Wx] + \Delta W\,\mathbb{E}[x] \\ \tilde b = b - \Delta W\,\mathbb{E}[x]\ \Rightarrow\ \mathbb{E}[y_{\text{corr}}] = \mathbb{E}[y]\end{gathered}`,
  lookAt:
    'The PTQ report’s bias-correction table: mean |E[y_q − y_fp]| per layer before and after, and the ladder’s accuracy.',
  tryThis: {
    label: 'Use analytic bias correction',
    apply: (c) => ({ ...c, ptq: { ...c.ptq, biasCorrection: 'analytic' } }),
    moved: (run, tried) =>
      `accuracy ${pct(accuracy(run))} (empirical) → ${pct(accuracy(tried))} (analytic, from BN statistics only).`,
  },
  expected:
    'Empirical bias correction cuts dw1’s mean output bias at least 10× and lifts accuracy by at least 3 points.',
  outcome: (e) => {
    const l = e.run?.ptq?.biasCorrection?.layers.find((x) => x.node === 'dw1');
    if (!e.run || !l) return pending(RUNNING);
    const gain = points(step(e.run, 'bias-correction'), step(e.run, 'baseline'));
    const cut = l.before / l.after;
    return verdict(
      cut >= 10 && gain >= 3,
      `dw1 mean |bias error| ${l.before.toExponential(2)} → ${l.after.toExponential(2)} (${cut.toFixed(0)}× smaller); accuracy ${pct(step(e.run, 'baseline'))} → ${pct(step(e.run, 'bias-correction'))} (+${gain.toFixed(1)} points, expected ≥ 3).`,
      { cut, gain },
    );
  },
};

const adaround: Lesson = {
  id: '8',
  title: 'AdaRound vs rounding to nearest at 4 bits',
  paper: '3.4',
  explanation:
    'Rounding each weight to its nearest grid point minimises the weight error, not the layer’s output error. AdaRound learns, per weight, whether to round up or down so that the layer output matches FP32 on calibration data: the weight error grows, the output error falls.',
  formula: String.raw`\begin{gathered}\underset{V}{\arg\min}\ \big\lVert f_a(Wx) - f_a(\widetilde W\hat x)\big\rVert_F^2 + \lambda\textstyle\sum_{i,j} 1-|2h(V_{ij})-1|^{\beta} \\ \widetilde W = s\cdot\operatorname{clamp}\!\big(\lfloor W/s\rfloor + h(V);\,n,\,p\big)\end{gathered}`,
  lookAt:
    'The PTQ report: AdaRound’s live loss curve and its table (output MSE nearest vs AdaRound, weight MSE), and the ladder’s accuracy.',
  focus: 'conv2',
  tryThis: {
    label: 'Turn AdaRound off (round to nearest)',
    apply: (c) => ({ ...c, ptq: { ...c.ptq, adaround: 0 } }),
    moved: (run, tried) =>
      `conv2 W-SQNR ${db(wSqnr(run, 'conv2'))} → ${db(wSqnr(tried, 'conv2'))} (nearest minimises weight error) while accuracy goes ${pct(accuracy(run))} → ${pct(accuracy(tried))}.`,
  },
  expected:
    'AdaRound lowers the layer-output MSE on every layer, and the accuracy is not below nearest rounding’s.',
  outcome: (e) => {
    const layers = e.run?.ptq?.adaround;
    if (!e.run || !layers) return pending(RUNNING);
    const better = layers.filter((l) => l.adaroundMse < l.nearestMse).length;
    const weightWorse = layers.filter((l) => l.adaroundWeightMse > l.nearestWeightMse).length;
    const [near, ada] = [step(e.run, 'baseline'), step(e.run, 'adaround')];
    return verdict(
      better === layers.length && ada >= near,
      `output MSE lower on ${better}/${layers.length} layers (weight MSE higher on ${weightWorse}/${layers.length}); accuracy ${pct(near)} → ${pct(ada)}.`,
      { better, layers: layers.length, nearest: near, adaround: ada },
    );
  },
};

const qat: Lesson = {
  id: '9',
  title: 'QAT recovers W4A4',
  paper: '4.1, 4.3',
  explanation:
    'PTQ cannot move the weights. QAT trains with the quantizers in the forward pass; rounding has no gradient, so the straight-through estimator passes it as 1 inside the grid, and LSQ learns the scales too. One short epoch from the PTQ initialisation already recovers most of W4A4’s loss.',
  formula: String.raw`\begin{gathered}\frac{\partial \lfloor y\rceil}{\partial y} \approx 1 \\ \frac{\partial \hat x}{\partial x} = \begin{cases}1 & q_{\min}\le x\le q_{\max}\\ 0 & \text{otherwise}\end{cases} \\ \frac{\partial \hat x}{\partial s} = \begin{cases}-x/s+\lfloor x/s\rceil & \text{inside}\\ n \text{ or } p & \text{clipped}\end{cases}\end{gathered}`,
  lookAt:
    'Press “Train (QAT)”: the QAT panel’s curves (loss, test accuracy per epoch, learned ranges). The lesson compares epoch 0 (PTQ) with the last epoch.',
  job: 'qat',
  tryThis: {
    label: 'Set the activations to 8 bits (W4A8, PTQ only)',
    apply: (c) =>
      c.activations === 'fp32' ? c : { ...c, activations: { ...c.activations, bits: 8 } },
    moved: (run, tried) =>
      `PTQ accuracy ${pct(accuracy(run))} (W4A4) → ${pct(accuracy(tried))} (W4A8): most of the PTQ loss came from the 4-bit activations.`,
  },
  expected: 'After one QAT epoch the test accuracy is at least 1 point above PTQ’s.',
  outcome: (e) => {
    if (!e.qat) return pending('press “Train (QAT)” (about half a minute)');
    const gain = points(e.qat.accuracy, e.qat.ptqAccuracy);
    return verdict(
      gain >= 1,
      `PTQ ${pct(e.qat.ptqAccuracy)} → QAT ${pct(e.qat.accuracy)} (+${gain.toFixed(1)} points, expected ≥ 1; FP32 ${pct(e.qat.fp32Accuracy)}).`,
      { ptq: e.qat.ptqAccuracy, qat: e.qat.accuracy, gain },
    );
  },
};

const overflow: Lesson = {
  id: '10',
  title: 'Accumulator overflow with a narrow accumulator',
  paper: '2.1',
  explanation:
    'An INT8×INT8 product needs 16 bits; summing K of them needs about 16 + log2 K more. With a 16-bit accumulator cnn’s sums do not fit: a wrapping register jumps from the largest to the most negative value and the integer model’s outputs become noise, while the fake-quant simulation (which has no accumulator) looks fine.',
  formula: String.raw`\begin{gathered}A_n = b_n + \sum_{m=1}^{K} W^{\text{int}}_{n,m}\,x^{\text{int}}_m \\ |A_n| < 2^{\,B_{\text{acc}}-1}\ \Leftarrow\ B_{\text{acc}} \ge 16 + \lceil \log_2 K \rceil\end{gathered}`,
  lookAt:
    'The integer summary (integer accuracy vs fake-quant) and the layer table’s “Acc bits needed”, “Headroom” (negative = overflow) and “Overflow” columns.',
  tryThis: {
    label: 'Widen the accumulator to 32 bits',
    apply: (c) => ({ ...c, integer: { ...c.integer, accumulatorBits: 32 } }),
    moved: (run, tried) =>
      `integer accuracy ${pct(run.integer?.accuracy ?? NaN)} → ${pct(tried.integer?.accuracy ?? NaN)} (fake quant ${pct(accuracy(tried))}); least headroom ${minHeadroom(run)} → ${minHeadroom(tried)} bits.`,
  },
  expected:
    'With a 16-bit wrapping accumulator some layer has negative headroom and the integer accuracy falls at least 30 points below fake quant.',
  outcome: (e) => {
    const i = e.run?.integer;
    if (!e.run || !i) return pending(RUNNING);
    const head = minHeadroom(e.run);
    const drop = points(accuracy(e.run), i.accuracy);
    return verdict(
      head < 0 && drop >= 30,
      `least headroom ${head} bits; integer ${pct(i.accuracy)} vs fake quant ${pct(accuracy(e.run))} (−${drop.toFixed(1)} points, expected ≥ 30).`,
      { headroom: head, integer: i.accuracy, fakeQuant: accuracy(e.run), drop },
    );
  },
};

function minHeadroom(r: QuantResult): number {
  const h = r.layers.flatMap((l) => (l.integer ? [l.integer.headroomBits] : []));
  return h.length ? Math.min(...h) : NaN;
}

const debugFlow: Lesson = {
  id: '11',
  title: 'The debugging flow on a model with one bad layer',
  paper: '3.7',
  explanation:
    'This link gives cnn one bad layer: conv2’s weights at 2 bits (a per-layer override, w.conv2). The debugging flow first checks FP32, then quantizes one side at a time to see whether weights or activations lose accuracy, then each quantizer alone: the culprit comes out on top.',
  formula: String.raw`\begin{gathered}\text{for each quantizer } q:\quad \mathrm{acc}\big(\text{only } q \text{ quantized}\big)\ \text{ vs }\ \mathrm{acc}_{\text{FP32}}\end{gathered}`,
  lookAt:
    'Press “Run the debugging flow”: the Debugging flow section’s steps, the weights-only vs activations-only accuracies and the worst quantizers.',
  job: 'debug',
  tryThis: {
    label: 'Keep conv2’s weights in FP32',
    apply: (c) => ({
      ...c,
      overrides: { ...c.overrides, conv2: { ...c.overrides['conv2'], weights: 'fp32' } },
    }),
    moved: (run, tried) => `accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}.`,
  },
  expected: 'The flow blames the weights, and conv2’s weight quantizer is the worst one alone.',
  outcome: (e) => {
    const d = e.debug;
    if (!d) return pending('press “Run the debugging flow”');
    const worst = d.quantizers[0];
    const ok = d.culprit === 'weights' && worst?.node === 'conv2' && worst.kind === 'weights';
    return verdict(
      ok,
      `weights only ${pct(d.weightsOnlyAccuracy)}, activations only ${pct(d.activationsOnlyAccuracy)} → culprit: ${d.culprit}; worst alone: ${worst ? `${worst.node} ${worst.kind} ${pct(worst.accuracy)}` : 'none'}.`,
      {
        weightsOnly: d.weightsOnlyAccuracy,
        activationsOnly: d.activationsOnlyAccuracy,
        worst: worst?.accuracy ?? NaN,
      },
    );
  },
};

const spiral: Lesson = {
  id: '12',
  title: 'The spiral’s decision boundary breaks as bits fall',
  paper: '2.2',
  explanation:
    'spiral is a 2-16-16-2 MLP whose two classes wind around each other; its decision boundary is a thin curve that needs fine weights. At 8 bits the quantized boundary lies on top of the FP32 one; at 2 bits each weight has four values and the boundary breaks into blocks.',
  formula: String.raw`\begin{gathered}\hat W = s\cdot\operatorname{clamp}\!\big(\lfloor W/s\rceil; -2^{b-1}, 2^{b-1}-1\big) \\ b=2:\ \hat W \in \{-2s,-s,0,s\}\end{gathered}`,
  lookAt:
    'The decision-boundary panel under the charts: FP32 and quantized side by side, with the test points.',
  tryThis: {
    label: 'Set the weights to 2 bits',
    apply: (c) => (c.weights === 'fp32' ? c : { ...c, weights: { ...c.weights, bits: 2 } }),
    moved: (run, tried, e) =>
      `accuracy ${pct(accuracy(run))} → ${pct(accuracy(tried))}; grid cells whose class differs from FP32: ${e.boundary ? pct(boundaryDisagreement(e.boundary)) : '…'} → ${e.triedBoundary ? pct(boundaryDisagreement(e.triedBoundary)) : '…'}.`,
  },
  expected:
    'At 8 bits under 3% of the boundary grid differs from FP32; at 2 bits over 8% differs and accuracy falls by at least 20 points.',
  outcome: (e) => {
    if (!e.run || !e.boundary) return pending(RUNNING);
    if (!e.tried || !e.triedBoundary) return pending('press “Try this” to run it at 2 bits');
    const [d8, d2] = [boundaryDisagreement(e.boundary), boundaryDisagreement(e.triedBoundary)];
    const drop = points(accuracy(e.run), accuracy(e.tried));
    return verdict(
      d8 < 0.03 && d2 > 0.08 && drop >= 20,
      `boundary cells differing from FP32: ${pct(d8)} at 8 bits, ${pct(d2)} at 2 bits; accuracy ${pct(accuracy(e.run))} → ${pct(accuracy(e.tried))} (−${drop.toFixed(1)} points).`,
      { differ8: d8, differ2: d2, drop },
    );
  },
};

export const PIPELINE: Lesson[] = [cle, biasCorrection, adaround, qat, overflow, debugFlow, spiral];
