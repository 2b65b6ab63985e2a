import { memo, useState } from 'react';
import {
  type LineFigureProps,
  type LineSpec,
  lineDash,
  lineName,
  linesSummary,
  plainNumber,
} from './lineFigureSpec';
import { REFERENCE_GREY } from './palette';
import { seriesColor } from './series';
import { niceTicks } from './ticks';
import { ChartPngButton } from './ChartPngButton';

const W = 560;
const M = { left: 48, right: 12, top: 8, bottom: 22 };
const PLOT_W = W - M.left - M.right;
const LEGEND_ROW = 14;
/** Rough advance of a 10 px label character, to wrap the legend without measuring text. */
const CHAR_W = 5.6;

/** Legend items placed left to right, wrapping into rows of the plot's width. */
function legendLayout(lines: readonly LineSpec[]) {
  let x = 0;
  let row = 0;
  return lines.map((l, i) => {
    const text = lineName(l);
    const width = 22 + text.length * CHAR_W + 12;
    if (x > 0 && x + width > PLOT_W) {
      x = 0;
      row++;
    }
    const item = { key: l.key, text, i, x, row };
    x += width;
    return item;
  });
}

/** The y range: fixed, or the data's (and the references') widened to nice ticks. */
function yRange(values: number[], fixed: [number, number] | undefined): [number, number] {
  if (fixed) return fixed;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi === lo) return [lo - (Math.abs(lo) || 1) * 0.05, hi + (Math.abs(hi) || 1) * 0.05];
  const t = niceTicks(lo, hi, 4);
  const step = t.length > 1 ? (t[1] as number) - (t[0] as number) : hi - lo;
  return [Math.floor(lo / step + 1e-9) * step, Math.ceil(hi / step - 1e-9) * step];
}

/**
 * The live line chart of the QAT panel, drawn as plain SVG (like QuantHistogram.tsx): during a
 * run the curves redraw a few times a second, and recharts 3 took 50-100 ms of main-thread time
 * per chart and redraw (its store, selectors, text measurement), which made every redraw of the
 * six charts a long task. Same props as LineFigure; hovering shows the nearest row's values.
 */
export const LiveLineFigure = memo(function LiveLineFigure(props: LineFigureProps) {
  const { testId, caption, rows, x, lines, points, references = [] } = props;
  const format = props.format ?? plainNumber;
  const [hover, setHover] = useState<number | null>(null);
  const legend = lines.length > 1 ? legendLayout(lines) : [];
  const legendH = legend.length ? ((legend.at(-1)?.row ?? 0) + 1) * LEGEND_ROW + 4 : 0;
  const plotH = (props.height ?? 180) - M.top - M.bottom - legendH;
  const top = M.top + legendH;
  const base = top + plotH;

  const xs = rows.map((r) => r[x] ?? NaN);
  const x0 = xs[0] ?? 0;
  const x1 = xs.at(-1) ?? 1;
  const xSpan = x1 - x0 || 1;
  const sx = (v: number) => M.left + ((v - x0) / xSpan) * PLOT_W;
  const values: number[] = references.map((r) => r.y);
  for (const r of rows) for (const l of lines) values.push(r[l.key] ?? NaN);
  const [y0, y1] = yRange(values, props.yDomain);
  const ySpan = y1 - y0 || 1;
  const clampY = (v: number) => Math.min(y1, Math.max(y0, v));
  const sy = (v: number) => base - ((clampY(v) - y0) / ySpan) * plotH;

  const paths = lines.map((l) => {
    let d = '';
    let pen = 'M';
    rows.forEach((r, i) => {
      const v = r[l.key];
      if (v === undefined || !Number.isFinite(v)) return; // connectNulls: skip the gap
      d += `${pen}${sx(xs[i] ?? 0).toFixed(1)} ${sy(v).toFixed(1)}`;
      pen = 'L';
    });
    return d;
  });
  const dots = rows.length <= 30;
  const xTicks = rows.length ? niceTicks(x0, x1, 6).filter((t) => Number.isInteger(t)) : [];
  const yTicks = niceTicks(y0, y1, 4);
  const desc = linesSummary(lines, rows, format);
  const hovered = hover === null ? undefined : rows[hover];

  return (
    <figure className="chart" data-testid={testId} data-points={points}>
      <figcaption>{caption}</figcaption>
      <ChartPngButton label={caption} />
      <svg
        viewBox={`0 0 ${W} ${props.height ?? 180}`}
        width="100%"
        role="img"
        aria-label={caption}
        onMouseMove={(e) => {
          if (!rows.length) return;
          const box = e.currentTarget.getBoundingClientRect();
          const at = x0 + (((e.clientX - box.left) / box.width) * W - M.left) * (xSpan / PLOT_W);
          let best = 0;
          xs.forEach((v, i) => {
            if (Math.abs(v - at) < Math.abs((xs[best] ?? 0) - at)) best = i;
          });
          setHover(best);
        }}
        onMouseLeave={() => setHover(null)}
      >
        <title>{caption}</title>
        <desc>{desc}</desc>
        {legend.map((g) => (
          <g key={g.key} transform={`translate(${M.left + g.x} ${M.top + g.row * LEGEND_ROW})`}>
            <line
              x1={0}
              x2={18}
              y1={6}
              y2={6}
              stroke={seriesColor(g.i)}
              strokeWidth={2}
              strokeDasharray={dash(lines[g.i], lines.length, g.i)}
            />
            <text x={22} y={10} fontSize={10}>
              {g.text}
            </text>
          </g>
        ))}
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} stroke="#e3e5e8" />
            <text x={M.left - 4} y={sy(t) + 3} textAnchor="end" fontSize={10}>
              {format(t)}
            </text>
          </g>
        ))}
        <line x1={M.left} x2={W - M.right} y1={base} y2={base} stroke={REFERENCE_GREY} />
        {xTicks.map((t) => (
          <text key={t} x={sx(t)} y={base + 13} textAnchor="middle" fontSize={10}>
            {t}
          </text>
        ))}
        {references.map((r) => (
          <g key={r.label}>
            <line
              x1={M.left}
              x2={W - M.right}
              y1={sy(r.y)}
              y2={sy(r.y)}
              stroke={REFERENCE_GREY}
              strokeDasharray="4 3"
            />
            <text x={M.left + 3} y={sy(r.y) - 3} fontSize={10} fill={REFERENCE_GREY}>
              {r.label}
            </text>
          </g>
        ))}
        {lines.map((l, i) => (
          <g key={l.key}>
            <path
              d={paths[i]}
              fill="none"
              stroke={seriesColor(i)}
              strokeWidth={1.5}
              strokeDasharray={dash(l, lines.length, i)}
            />
            {dots &&
              rows.map((r, j) => {
                const v = r[l.key];
                return v === undefined || !Number.isFinite(v) ? null : (
                  <circle key={j} cx={sx(xs[j] ?? 0)} cy={sy(v)} r={2.5} fill={seriesColor(i)} />
                );
              })}
          </g>
        ))}
        {hovered && (
          <g className="hover" pointerEvents="none">
            <line
              x1={sx(hovered[x] ?? 0)}
              x2={sx(hovered[x] ?? 0)}
              y1={top}
              y2={base}
              stroke={REFERENCE_GREY}
            />
            <text
              x={W - M.right - 2}
              y={top + 10}
              textAnchor="end"
              fontSize={10}
              stroke="#fff"
              strokeWidth={3}
              paintOrder="stroke"
            >
              {`${x} ${hovered[x] ?? ''}: `}
              {lines
                .map((l) => {
                  const v = hovered[l.key];
                  return `${lineName(l)} ${v === undefined ? '–' : format(v)}`;
                })
                .join(', ')}
            </text>
          </g>
        )}
      </svg>
    </figure>
  );
});

/** LineFigure's dashes, with no attribute for a solid line. */
function dash(l: LineSpec | undefined, count: number, i: number): string | undefined {
  return lineDash(l, count, i) || undefined;
}
