/** Shaping plain result arrays into recharts rows; the charts themselves only draw. */
import { PALETTE } from './palette';

/** Colour-blind-safe series colours (palette.ts). */
export const SERIES_COLORS = PALETTE;

export const seriesColor = (i: number) => SERIES_COLORS[i % SERIES_COLORS.length] ?? '#333';

/**
 * A dash pattern per series ('' = solid), so lines differ by more than colour (a colour-blind
 * viewer, a grey-scale print); the legend shows it with `legendType="plainline"`.
 */
export const SERIES_DASHES: readonly string[] = [
  '',
  '6 3',
  '2 2',
  '8 3 2 3',
  '12 4',
  '4 4 1 4',
  '1 3',
];

export const seriesDash = (i: number) => SERIES_DASHES[i % SERIES_DASHES.length] ?? '';

/**
 * At most `max` evenly spaced points, always keeping the last, so a long run (many epochs at a
 * small batch) stays quick to redraw on every step.
 * @example thin([1, 2, 3, 4, 5], 3) // [1, 3, 5]
 */
export function thin<T>(points: readonly T[], max = 400): T[] {
  if (points.length <= max) return [...points];
  const stride = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * stride)] as T);
}

/**
 * Mean of each point and the `window − 1` before it: minibatch loss and accuracy are noisy, the
 * trend is what a person reads.
 * @example movingMean([1, 3, 5], 2) // [1, 2, 4]
 */
export function movingMean(values: readonly number[], window: number): number[] {
  let sum = 0;
  return values.map((v, i) => {
    sum += v - (i >= window ? (values[i - window] ?? 0) : 0);
    return sum / Math.min(i + 1, window);
  });
}

/** One row per x with a column per named series (recharts draws one Line per column). */
export function wideRows(
  x: string,
  points: readonly { at: number; values: Readonly<Record<string, number>> }[],
): Record<string, number>[] {
  return points.map((p) => ({ [x]: p.at, ...p.values }));
}

/** The series names that appear in any of the points, in first-seen order. */
export function seriesNames(points: readonly { values: Readonly<Record<string, number>> }[]) {
  const names = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.values)) names.add(k);
  return [...names];
}
