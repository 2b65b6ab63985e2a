import { memo } from 'react';
import type { TensorView } from '@/quant/tensorView';
import { OKABE_ITO, REFERENCE_GREY } from './palette';
import { niceTicks } from './ticks';
import { ChartPngButton } from './ChartPngButton';

/** Above this many grid points the faint full-height lines would paint the plot grey. */
const FULL_LINES_UP_TO = 64;
const W = 560;
const H = 190;
const M = { left: 44, right: 12, top: 16, bottom: 30 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const BASE = M.top + PLOT_H;

const label = (v: number) => String(Number(v.toPrecision(3)));

interface Props {
  testId: string;
  caption: string;
  view: TensorView;
}

/**
 * A tensor's histogram with its quantization grid s(q − z) and clipping thresholds [min, max]
 * (paper Sec. 2.2, Fig. 3; the range-setting figures of Sec. 3.1), shaded where values are
 * clipped. Drawn as plain SVG, unlike the other charts: recharts 3 took 40-50 ms to redraw it
 * (tick search, per-chart store updates, text measurement), and this one must follow a bit-width
 * slider within a frame. Every drawn number is also a data attribute.
 */
export const QuantHistogram = memo(function QuantHistogram({ testId, caption, view }: Props) {
  const { histogram: h, encoding: e, grid } = view;
  const span = h.max - h.min || 1;
  const x = (v: number) => M.left + ((v - h.min) / span) * PLOT_W;
  let peak = 0;
  for (const c of h.counts) peak = Math.max(peak, c);
  const yTicks = niceTicks(0, peak || 1, 3);
  const top = Math.max(peak, yTicks[yTicks.length - 1] ?? 1) || 1;
  const y = (c: number) => BASE - (c / top) * PLOT_H;

  const n = h.counts.length;
  let bars = `M${M.left} ${BASE}`;
  h.counts.forEach((c, i) => {
    bars += `V${y(c).toFixed(1)}H${(M.left + ((i + 1) * PLOT_W) / n).toFixed(1)}`;
  });
  bars += `V${BASE}Z`;
  let ticks = '';
  for (const g of grid) ticks += `M${x(g).toFixed(1)} ${BASE}v-10`;
  const full = grid.length <= FULL_LINES_UP_TO ? ticks.replace(/v-10/g, `v-${PLOT_H}`) : '';
  const clip = [
    { from: h.min, to: e.min },
    { from: e.max, to: h.max },
  ].filter((r) => r.to > r.from);

  return (
    <figure
      className="chart quant-histogram"
      data-testid={testId}
      data-bits={e.bitwidth}
      data-grid-points={grid.length}
      data-clip-min={e.min}
      data-clip-max={e.max}
      data-scale={e.scale}
      data-zero-point={e.zeroPoint}
      data-channel={view.channel ?? ''}
      data-bins={n}
      data-clipping={view.errors.clipping}
      data-rounding={view.errors.rounding}
      data-clipped={view.errors.clipped}
      data-count={view.errors.count}
      data-sqnr={view.sqnrDb}
      data-tensor-sqnr={view.tensorSqnrDb}
    >
      <figcaption>{caption}</figcaption>
      <ChartPngButton label={caption} />
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={caption}>
        {clip.map((r) => (
          <rect
            key={r.from}
            x={x(r.from)}
            y={M.top}
            width={x(r.to) - x(r.from)}
            height={PLOT_H}
            fill={OKABE_ITO.vermillion}
            fillOpacity={0.1}
          />
        ))}
        {yTicks.map((t) => (
          <g key={t} className="tick">
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e3e5e8" />
            <text x={M.left - 4} y={y(t) + 3} textAnchor="end" fontSize={10}>
              {label(t)}
            </text>
          </g>
        ))}
        <path d={bars} fill={OKABE_ITO.sky} fillOpacity={0.6} stroke={OKABE_ITO.blue} />
        {full && <path d={full} stroke={OKABE_ITO.black} strokeOpacity={0.18} />}
        <path
          d={ticks}
          stroke={OKABE_ITO.black}
          data-testid="grid-ticks"
          data-count={grid.length}
        />
        <line x1={M.left} x2={W - M.right} y1={BASE} y2={BASE} stroke={REFERENCE_GREY} />
        {niceTicks(h.min, h.max, 6).map((t) => (
          <text key={t} x={x(t)} y={BASE + 13} textAnchor="middle" fontSize={10}>
            {label(t)}
          </text>
        ))}
        <text
          x={M.left + PLOT_W / 2}
          y={H - 3}
          textAnchor="middle"
          fontSize={10}
          fill={REFERENCE_GREY}
        >
          value (ticks: the {grid.length} grid points)
        </text>
        <text
          transform={`translate(10 ${M.top + PLOT_H / 2}) rotate(-90)`}
          textAnchor="middle"
          fontSize={10}
          fill={REFERENCE_GREY}
        >
          count
        </text>
        {[
          { v: e.min, name: 'min', anchor: 'start' as const },
          { v: e.max, name: 'max', anchor: 'end' as const },
        ].map((t) => (
          <g key={t.name} data-threshold={t.name} data-value={t.v}>
            <line
              x1={x(t.v)}
              x2={x(t.v)}
              y1={M.top}
              y2={BASE}
              stroke={OKABE_ITO.vermillion}
              strokeWidth={2}
            />
            <text
              x={x(t.v) + (t.anchor === 'end' ? -3 : 3)}
              y={M.top - 4}
              textAnchor={t.anchor}
              fontSize={10}
              fill={OKABE_ITO.vermillion}
            >
              {t.name} {label(t.v)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
});
