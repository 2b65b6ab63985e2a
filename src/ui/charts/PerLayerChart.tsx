/**
 * What the per-layer charts (SqnrByLayer, AccuracyByLayer) share: one row per layer with a
 * pinned baseline's values and the deltas beside the current ones, the figure around a chart
 * with a category per layer, and a series' bars beside its baseline's (lighter, outlined).
 */
import { Fragment, type ReactNode } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  ResponsiveContainer,
  Tooltip,
  type TooltipValueType,
  XAxis,
  YAxis,
  type YAxisProps,
} from 'recharts';
import { delta, type BaselineLayer } from '@/store/compare';
import type { LayerReport } from '@/store/types';
import { ChartPngButton } from './ChartPngButton';

type Value = number | null;

/** A series' row key, and the keys of its baseline's value and its delta to it. */
const baseKey = <K extends string>(k: K) =>
  `base${k.charAt(0).toUpperCase()}${k.slice(1)}` as `base${Capitalize<K>}`;
const deltaKey = <K extends string>(k: K) =>
  `delta${k.charAt(0).toUpperCase()}${k.slice(1)}` as `delta${Capitalize<K>}`;

/** A layer's row: its values, and with a baseline its values and the deltas (current − base). */
export type LayerRow<K extends string> = { node: string } & Record<K, Value> &
  Partial<Record<`base${Capitalize<K>}` | `delta${Capitalize<K>}`, Value>>;

/** One per-layer series: where a layer report and a baseline layer keep its value. */
export interface LayerSeries<K extends string> {
  key: K;
  current: (l: LayerReport) => Value;
  base: (b: BaselineLayer | undefined) => Value;
}

/**
 * One row per layer, keys in a fixed order (node, each series, then with a baseline each
 * series' base and delta): the figures' `data-values`, which the e2e specs read.
 */
export function layerRows<K extends string>(
  layers: readonly LayerReport[],
  baseline: readonly BaselineLayer[] | null,
  series: readonly LayerSeries<K>[],
): LayerRow<K>[] {
  const byNode = new Map(baseline?.map((b) => [b.node, b]));
  return layers.map((l) => {
    const row: Record<string, string | Value> = { node: l.node };
    for (const s of series) row[s.key] = s.current(l);
    if (baseline) {
      const b = byNode.get(l.node);
      for (const s of series) row[baseKey(s.key)] = s.base(b);
      for (const s of series) row[deltaKey(s.key)] = delta(s.current(l), s.base(b));
    }
    return row as LayerRow<K>;
  });
}

/** A series' bars; with a baseline, the baseline's first (dashed outline, diamond legend). */
export function seriesBars(
  series: { key: string; name: string; baseName: string; colour: string },
  withBaseline: boolean,
): ReactNode {
  const { key, name, baseName, colour } = series;
  return (
    <Fragment key={key}>
      {withBaseline && (
        <Bar
          dataKey={baseKey(key)}
          name={baseName}
          fill={colour}
          fillOpacity={0.3}
          stroke={colour}
          strokeDasharray="3 2"
          legendType="diamond"
          isAnimationActive={false}
        />
      )}
      <Bar dataKey={key} name={name} fill={colour} isAnimationActive={false} />
    </Fragment>
  );
}

/**
 * The figure (test id, data attributes, caption, PNG button) around a 200 px chart of the
 * layers: grid, a category per layer, the y axis, tooltip and legend, then `children` (series).
 */
export function PerLayerChart(props: {
  testId: string;
  /** The figure's `data-*` attributes (what the specs read). */
  data: Record<`data-${string}`, string | number>;
  caption: ReactNode;
  pngLabel: string;
  rows: readonly object[];
  /** The chart's title and text alternative (svg title and desc). */
  title: string;
  desc: string;
  /** A ComposedChart (bars and lines) rather than a BarChart. */
  lines?: boolean;
  yAxis: Omit<YAxisProps, 'ref'>;
  tooltip: (v: TooltipValueType | undefined) => string;
  children: ReactNode;
}) {
  const Chart = props.lines ? ComposedChart : BarChart;
  return (
    <figure className="chart" data-testid={props.testId} {...props.data}>
      <figcaption>{props.caption}</figcaption>
      <ChartPngButton label={props.pngLabel} />
      <ResponsiveContainer width="100%" height={200}>
        <Chart
          data={[...props.rows]}
          margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
          title={props.title}
          desc={props.desc}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="node" tick={{ fontSize: 10 }} interval={0} />
          <YAxis tick={{ fontSize: 10 }} {...props.yAxis} />
          <Tooltip formatter={props.tooltip} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {props.children}
        </Chart>
      </ResponsiveContainer>
    </figure>
  );
}
