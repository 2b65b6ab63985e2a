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
import { seriesColor } from './series';
import { ChartPngButton } from './ChartPngButton';
import {
  type LineFigureProps,
  lineDash,
  lineName,
  linesSummary,
  plainNumber,
} from './lineFigureSpec';

export type { LineSpec } from './lineFigureSpec';

/** A small live line chart: no animation (it redraws every training step), plain-array rows. */
export function LineFigure({ testId, caption, rows, x, lines, points, ...opt }: LineFigureProps) {
  const format = opt.format ?? plainNumber;
  return (
    <figure className="chart" data-testid={testId} data-points={points}>
      <figcaption>{caption}</figcaption>
      <ChartPngButton label={caption} />
      <ResponsiveContainer width="100%" height={opt.height ?? 180}>
        <LineChart
          data={[...rows]}
          margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
          title={caption}
          desc={linesSummary(lines, rows, format)}
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
              name={lineName(l)}
              stroke={seriesColor(i)}
              strokeDasharray={lineDash(l, lines.length, i)}
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
