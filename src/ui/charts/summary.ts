/**
 * Text alternatives for the charts: the numbers a chart draws, as one sentence a screen reader
 * reads (each recharts chart gets it as its SVG `<desc>`, its caption as `<title>`).
 */

const plain = (v: number) => String(Number(v.toPrecision(3)));

/**
 * One value per named item; items without a value are listed as not measured.
 * @example listSummary('W-SQNR (dB)', [{ label: 'conv1', value: 22.61 }, { label: 'input', value: null }])
 * // 'W-SQNR (dB): conv1 22.6; not measured: input'
 */
export function listSummary(
  name: string,
  items: readonly { label: string; value: number | null }[],
  format: (v: number) => string = plain,
): string {
  const shown = items.filter((i) => i.value !== null);
  const missing = items.filter((i) => i.value === null).map((i) => i.label);
  const parts = shown.map((i) => `${i.label} ${format(i.value as number)}`).join(', ');
  return `${name}: ${parts || 'none'}${missing.length ? `; not measured: ${missing.join(', ')}` : ''}`;
}

/**
 * A series by its extent and its last value (live curves: the last point is the news).
 * @example rangeSummary('loss', [2, 0.5, 0.7]) // 'loss: 3 points from 0.5 to 2, last 0.7'
 */
export function rangeSummary(
  name: string,
  values: readonly (number | null | undefined)[],
  format: (v: number) => string = plain,
): string {
  const v = values.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  if (v.length === 0) return `${name}: no points yet`;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of v) {
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  return `${name}: ${v.length} points from ${format(lo)} to ${format(hi)}, last ${format(v[v.length - 1] as number)}`;
}
