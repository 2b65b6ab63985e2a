/** The CLI's human-readable table of a quantization result. */
import type { QuantResult } from '../src/engine/events';

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : `${(100 * x).toFixed(2)}%`;
const db = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : Number.isFinite(x) ? x.toFixed(1) : x > 0 ? 'inf' : '-inf';

/** Rows as columns padded to the widest cell. */
function table(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
}

const exp = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : '-');

/** The PTQ ladder (paper 3.5): accuracy and output SQNR after each step, then each step's detail. */
export function formatPtqReport(r: QuantResult): string {
  const p = r.ptq;
  if (!p) return 'no PTQ steps were enabled\n';
  const lines = [
    `PTQ steps on ${r.modelId} (${r.backend}, ${r.count} test items), link #${r.link}`,
  ];
  lines.push(
    ...table([
      ['step', 'accuracy', 'output SQNR (dB)', 'time'],
      ...p.steps.map((s) => [
        s.label,
        pct(s.accuracy),
        db(s.outputSqnrDb),
        `${(s.millis / 1000).toFixed(1)} s`,
      ]),
    ]),
  );
  if (p.cle)
    lines.push(
      '',
      `CLE: ${p.cle.pairs.map((x) => `${x.first} -> ${x.second}`).join(', ')} (${p.cle.iterations} sweeps)`,
      ...table([
        ['node', 'channel range ratio before', 'after'],
        ...p.cle.ranges.map((x) => [x.node, ratio(x.before), ratio(x.after)]),
      ]),
    );
  if (p.biasAbsorption)
    lines.push(
      `bias absorption: ${p.biasAbsorption.map((b) => `${b.node} -> ${b.next} (${b.channels} channels)`).join(', ') || 'nothing to absorb'}`,
    );
  if (p.adaround)
    lines.push(
      '',
      ...table([
        [
          'AdaRound layer',
          'out-MSE nearest',
          'out-MSE AdaRound',
          'w-MSE nearest',
          'w-MSE AdaRound',
          'codes changed',
        ],
        ...p.adaround.map((a) => [
          a.node,
          exp(a.nearestMse),
          exp(a.adaroundMse),
          exp(a.nearestWeightMse),
          exp(a.adaroundWeightMse),
          `${(100 * a.fractionChanged).toFixed(1)}%`,
        ]),
      ]),
    );
  if (p.biasCorrection)
    lines.push(
      '',
      ...table([
        [`bias correction (${p.biasCorrection.mode})`, 'mean |E[y_q - y_fp]| before', 'after'],
        ...p.biasCorrection.layers.map((l) => [l.node, exp(l.before), exp(l.after)]),
      ]),
    );
  return `${lines.join('\n')}\n`;
}

/** max/min of the non-zero per-channel ranges (CLE's target is 1). */
function ratio(ranges: readonly number[]): string {
  const nz = ranges.filter((v) => v > 0);
  return nz.length ? `${(Math.max(...nz) / Math.min(...nz)).toFixed(1)}x` : '-';
}

export function formatReport(r: QuantResult): string {
  const lines = [
    `model ${r.modelId} on ${r.backend}, ${r.count} test items, link #${r.link}`,
    `FP32 accuracy ${pct(r.fp32Accuracy)}   quantized ${pct(r.quantAccuracy)}   output SQNR ${db(r.outputSqnrDb)} dB`,
    '',
  ];
  const int = r.integer;
  if (int)
    lines.splice(
      2,
      0,
      `integer path (${int.accumulatorBits}-bit ${int.overflow}, ${int.requantization}): accuracy ${pct(int.accuracy)}   ` +
        `output SQNR ${db(int.outputSqnrDb)} dB   codes = fake quant ${(100 * int.codeAgreement.equalFraction).toFixed(3)}% ` +
        `(max ${int.codeAgreement.maxStepDifference} step)   float nodes: ${int.floatNodes.join(', ') || 'none'}`,
    );
  const head = [
    'node',
    'type',
    'weights',
    'W-SQNR',
    'act',
    'A-SQNR',
    'only-this acc',
    'cumulative acc',
  ];
  const rows = [int ? [...head, 'acc bits', 'headroom', 'overflow', 'codes=FQ'] : head];
  for (const l of r.layers) {
    rows.push([
      l.node,
      l.type,
      l.weight?.choice ?? '',
      db(l.weight?.sqnrDb),
      l.activation?.choice ?? '',
      db(l.activation?.sqnrDb),
      pct(l.sensitivity?.accuracy),
      pct(l.cumulative?.accuracy),
      ...(int
        ? [
            l.integer ? String(l.integer.bitsNeeded) : '',
            l.integer ? String(l.integer.headroomBits) : '',
            l.integer ? `${(100 * l.integer.overflowFraction).toFixed(4)}%` : '',
            l.integer?.codeAgreement ? pct(l.integer.codeAgreement.equalFraction) : '',
          ]
        : []),
    ]);
  }
  lines.push(...table(rows));
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  const m = r.millis;
  lines.push(
    '',
    `times: weights ${m.weights.toFixed(0)} ms, calibration ${m.calibration.toFixed(0)} ms, ` +
      `evaluation ${m.evaluation.toFixed(0)} ms, sensitivity ${m.sensitivity.toFixed(0)} ms` +
      (int ? `, integer path ${int.millis.toFixed(0)} ms` : ''),
  );
  return `${lines.join('\n')}\n`;
}
