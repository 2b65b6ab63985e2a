import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { seriesColor, seriesDash } from './series';
import { ChartPngButton } from './ChartPngButton';
import { rangeSummary } from './summary';

export interface LineSpec {
  key: string;
  /** Legend text; the key when absent. */
  name?: string;
  dashed?: boolean;
}

interface Props {
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

/** A small live line chart: no animation (it redraws every training step), plain-array rows. */
export function LineFigure({ testId, caption, rows, x, lines, points, ...opt }: Props) {
  const format = opt.format ?? ((v: number) => String(Number(v.toPrecision(4))));
  return (
    <figure className="chart" data-testid={testId} data-points={points}>
      <figcaption>{caption}</figcaption>
      <ChartPngButton label={caption} />
      <ResponsiveContainer width="100%" height={opt.height ?? 180}>
        <LineChart
          data={[...rows]}
          margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
          title={caption}
          desc={lines
            .map((l) =>
              rangeSummary(
                l.name ?? l.key,
                rows.map((r) => r[l.key]),
                format,
              ),
            )
            .join('; ')}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey={x}
            type="number"
            domain={['dataMin', 'dataMax']}
            allowDecimals={false}
            tick={{ fontSize: 10 }}
          />
          <YAxis
            domain={opt.yDomain ?? ['auto', 'auto']}
            allowDataOverflow={opt.yDomain !== undefined}
            tick={{ fontSize: 10 }}
            tickFormatter={format}
          />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? format(v) : String(v))}
            labelFormatter={(l) => `${x} ${String(l)}`}
          />
          {lines.length > 1 && <Legend />}
          {opt.references?.map((r) => (
            <ReferenceLine
              key={r.label}
              y={r.y}
              stroke="#60646c"
              strokeDasharray="4 3"
              ifOverflow="extendDomain"
              label={{ value: r.label, position: 'insideTopLeft', fontSize: 10 }}
            />
          ))}
          {lines.map((l, i) => (
            <Line
              key={l.key}
              dataKey={l.key}
              name={l.name ?? l.key}
              stroke={seriesColor(i)}
              // An explicit dashed line (a trend) is '4 3'; otherwise each series its own dash.
              strokeDasharray={l.dashed ? '4 3' : lines.length > 2 ? seriesDash(i) : ''}
              legendType="plainline"
              dot={rows.length <= 30}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
