/**
 * What the two line charts share, LineFigure.tsx (recharts) and LiveLineFigure.tsx (plain SVG,
 * for curves that redraw every training step): their props, and each series' legend text,
 * dash pattern and the text alternative, so both draw and describe a series alike.
 */
import { seriesDash } from './series';
import { rangeSummary } from './summary';

export interface LineSpec {
  key: string;
  /** Legend text; the key when absent. */
  name?: string;
  dashed?: boolean;
}

export interface LineFigureProps {
  testId: string;
  caption: string;
  rows: readonly Record<string, number>[];
  x: string;
  lines: readonly LineSpec[];
  /** Source points behind the chart (before thinning), for tests and the caption's reader. */
  points: number;
  references?: readonly { y: number; label: string }[];
  format?: (v: number) => string;
  /** A fixed y range (accuracies end at 1, where 'auto' would round up to 102%). */
  yDomain?: [number, number];
  height?: number;
}

/** The default number format: four significant digits, no trailing zeros. */
export const plainNumber = (v: number) => String(Number(v.toPrecision(4)));

/** A series' legend text. */
export const lineName = (l: LineSpec) => l.name ?? l.key;

/**
 * A series' dash ('' = solid): an explicit dashed line (a trend) is '4 3'; with more than two
 * series each has its own (series.ts), so they differ by more than colour.
 */
export function lineDash(l: LineSpec | undefined, count: number, i: number): string {
  if (l?.dashed) return '4 3';
  return count > 2 ? seriesDash(i) : '';
}

/** The chart's text alternative: each series' range, in `format`. */
export const linesSummary = (
  lines: readonly LineSpec[],
  rows: readonly Record<string, number>[],
  format: (v: number) => string,
) =>
  lines
    .map((l) =>
      rangeSummary(
        lineName(l),
        rows.map((r) => r[l.key]),
        format,
      ),
    )
    .join('; ');
