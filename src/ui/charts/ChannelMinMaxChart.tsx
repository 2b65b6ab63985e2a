import { memo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { ClipRange } from '@/quant/types';
import { OKABE_ITO, REFERENCE_GREY } from './palette';
import { ChartPngButton } from './ChartPngButton';
import { rangeSummary } from './summary';

const fmt = (v: number) => String(Number(v.toPrecision(3)));

/**
 * Min and max of every output channel of a (folded) kernel, with the whole tensor's range as
 * reference lines: paper Fig. 5, why one per-tensor grid fails when a few channels (typical of
 * depthwise layers after BN folding) set a range the others use a sliver of.
 */
export const ChannelMinMaxChart = memo(function ChannelMinMaxChart(props: {
  node: string;
  ranges: readonly ClipRange[];
  /** Highlighted channel (the one the histogram shows), or null. */
  selected: number | null;
  onSelect?: (channel: number) => void;
}) {
  const { ranges, selected } = props;
  const rows = ranges.map((r, channel) => ({ channel, range: [r.min, r.max] }));
  const lo = Math.min(...ranges.map((r) => r.min));
  const hi = Math.max(...ranges.map((r) => r.max));
  const widths = ranges.map((r) => r.max - r.min).filter((w) => w > 0);
  const spread = widths.length ? Math.max(...widths) / Math.min(...widths) : 1;
  return (
    <figure
      className="chart"
      data-testid="channel-ranges"
      data-node={props.node}
      data-channels={ranges.length}
      data-tensor-min={lo}
      data-tensor-max={hi}
      data-spread={spread}
    >
      <figcaption>
        {props.node}: weight range [min, max] per output channel; dashed: the per-tensor range
        (widest channel / narrowest: {spread.toFixed(1)}×)
      </figcaption>
      <ChartPngButton label={`${props.node} channel ranges`} />
      <ResponsiveContainer width="100%" height={170}>
        <BarChart
          data={rows}
          margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
          title={`${props.node}: weight range per output channel`}
          desc={`${ranges.length} channels; ${rangeSummary(
            'channel minimum',
            ranges.map((r) => r.min),
            fmt,
          )}; ${rangeSummary(
            'channel maximum',
            ranges.map((r) => r.max),
            fmt,
          )}; per-tensor range [${fmt(lo)}, ${fmt(hi)}]${selected === null || selected === undefined ? '' : `; highlighted: channel ${selected}`}`}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="channel" tick={{ fontSize: 10 }} interval="preserveStartEnd" />
          <YAxis tick={{ fontSize: 10 }} width={44} tickFormatter={fmt} domain={['auto', 'auto']} />
          <Tooltip
            formatter={(v) =>
              Array.isArray(v) ? v.map((x) => fmt(Number(x))).join(' … ') : String(v)
            }
            labelFormatter={(c) => `channel ${String(c)}`}
          />
          <ReferenceLine y={lo} stroke={REFERENCE_GREY} strokeDasharray="4 3" />
          <ReferenceLine y={hi} stroke={REFERENCE_GREY} strokeDasharray="4 3" />
          <ReferenceLine y={0} stroke={REFERENCE_GREY} />
          <Bar
            dataKey="range"
            name="[min, max]"
            isAnimationActive={false}
            onClick={(_, i) => props.onSelect?.(i)}
          >
            {rows.map((r) => (
              <Cell
                key={r.channel}
                fill={r.channel === selected ? OKABE_ITO.vermillion : OKABE_ITO.blue}
                cursor={props.onSelect ? 'pointer' : undefined}
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
});
