import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartPngButton } from './ChartPngButton';
import { rangeSummary } from './summary';
import { seriesColor, seriesDash } from './series';

export interface LossSeries {
  node: string;
  loss: readonly { iteration: number; reconstruction: number }[];
}

/** Rows keyed by iteration, one column per layer, for one recharts data array. */
export function lossRows(series: readonly LossSeries[]): Record<string, number>[] {
  const byIteration = new Map<number, Record<string, number>>();
  for (const s of series)
    for (const p of s.loss) {
      const row = byIteration.get(p.iteration) ?? { iteration: p.iteration };
      row[s.node] = p.reconstruction;
      byIteration.set(p.iteration, row);
    }
  return [...byIteration.values()].sort((a, b) => (a['iteration'] ?? 0) - (b['iteration'] ?? 0));
}

/**
 * AdaRound's layer-wise reconstruction loss ‖f_a(Wx) − f_a(W̃x̂)‖² (paper Eq. 35) against the
 * iteration, one line per layer, drawn while the layer is still being optimised.
 */
export function AdaRoundLossChart({ series }: { series: readonly LossSeries[] }) {
  const data = lossRows(series);
  return (
    <figure className="chart" data-testid="adaround-loss" data-layers={series.length}>
      <figcaption>AdaRound reconstruction loss per layer (Eq. 35) by iteration</figcaption>
      <ChartPngButton label="AdaRound loss" />
      <ResponsiveContainer width="100%" height={200}>
        <LineChart
          data={data}
          margin={{ top: 4, right: 8, bottom: 4, left: 8 }}
          title="AdaRound reconstruction loss per layer"
          desc={series
            .map((s) =>
              rangeSummary(
                s.node,
                s.loss.map((p) => p.reconstruction),
              ),
            )
            .join('; ')}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="iteration" type="number" tick={{ fontSize: 10 }} />
          <YAxis scale="log" domain={['auto', 'auto']} tick={{ fontSize: 10 }} allowDataOverflow />
          <Tooltip />
          <Legend />
          {series.map((s, i) => (
            <Line
              key={s.node}
              dataKey={s.node}
              stroke={seriesColor(i)}
              // Beside the colour, each layer's line has its own dash: never colour alone.
              strokeDasharray={seriesDash(i)}
              legendType="plainline"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
