/** The CLI's human-readable table of a quantization result. */
import type { QuantResult } from '../src/engine/events';

const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : `${(100 * x).toFixed(2)}%`;
const db = (x: number | null | undefined) =>
  x === null || x === undefined ? '-' : Number.isFinite(x) ? x.toFixed(1) : x > 0 ? 'inf' : '-inf';

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
  const widths =
    rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  for (const row of rows) lines.push(row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  '));
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
