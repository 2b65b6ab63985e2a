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
      <ResponsiveContainer width="100%" height={180}>
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="channel" tick={{ fontSize: 10 }} />
          <YAxis scale="log" domain={['auto', 'auto']} tick={{ fontSize: 10 }} allowDataOverflow />
          <Tooltip />
          <Legend />
          <Bar dataKey="before" fill="#c0504d" isAnimationActive={false} />
          <Bar dataKey="after" fill="#4f81bd" isAnimationActive={false} />
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
