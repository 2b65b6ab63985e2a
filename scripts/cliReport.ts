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
  const rows = [
    ['node', 'type', 'weights', 'W-SQNR', 'act', 'A-SQNR', 'only-this acc', 'cumulative acc'],
  ];
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
      `evaluation ${m.evaluation.toFixed(0)} ms, sensitivity ${m.sensitivity.toFixed(0)} ms`,
  );
  return `${lines.join('\n')}\n`;
}
