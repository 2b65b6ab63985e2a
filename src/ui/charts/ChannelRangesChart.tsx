import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartPngButton } from './ChartPngButton';
import { rangeSummary } from './summary';
import { OKABE_ITO } from './palette';

/**
 * Per-output-channel weight ranges (max |w|) of one layer before and after cross-layer
 * equalization: the paper's Fig. 5/6 view of why per-tensor quantization fails on depthwise
 * layers and how CLE evens the channels out.
 */
export function ChannelRangesChart({
  node,
  before,
  after,
}: {
  node: string;
  before: readonly number[];
  after: readonly number[];
}) {
  const data = before.map((b, c) => ({ channel: c, before: b, after: after[c] ?? 0 }));
  return (
    <figure className="chart" data-testid="cle-ranges" data-node={node}>
      <figcaption>
        {node}: per-channel weight range max|w| before and after CLE (spread{' '}
        {spread(before).toFixed(1)}× → {spread(after).toFixed(1)}×)
      </figcaption>
      <ChartPngButton label={`${node} ranges before and after CLE`} />
      <ResponsiveContainer width="100%" height={180}>
        <BarChart
          data={data}
          margin={{ top: 4, right: 8, bottom: 4, left: 8 }}
          title={`${node}: per-channel weight range before and after CLE`}
          desc={`${rangeSummary('before', before)}; ${rangeSummary('after', after)}`}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="channel" tick={{ fontSize: 10 }} />
          <YAxis scale="log" domain={['auto', 'auto']} tick={{ fontSize: 10 }} allowDataOverflow />
          <Tooltip />
          <Legend />
          {/* Okabe-Ito; "before" is also the left bar of each pair and outlined in black. */}
          <Bar
            dataKey="before"
            fill={OKABE_ITO.orange}
            stroke={OKABE_ITO.black}
            isAnimationActive={false}
          />
          <Bar dataKey="after" fill={OKABE_ITO.blue} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Largest over smallest non-zero channel range. */
export function spread(ranges: readonly number[]): number {
  const nz = ranges.filter((r) => r > 0);
  return nz.length ? Math.max(...nz) / Math.min(...nz) : 1;
}
