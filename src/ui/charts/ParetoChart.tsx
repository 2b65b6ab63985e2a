import { memo } from 'react';
import {
  CartesianGrid,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { SearchPoint } from '@/store/types';
import { compact, percent } from '../format';
import { ChartPngButton } from './ChartPngButton';
import { OKABE_ITO, REFERENCE_GREY } from './palette';

export type CostAxis = 'bops' | 'size';

interface Row {
  key: string;
  cost: number;
  accuracy: number;
}

interface Props {
  points: readonly SearchPoint[];
  /** Front keys for the axis shown, cheapest first. */
  front: readonly string[];
  axis: CostAxis;
  chosen: string | null;
  current: string | null;
  target: number | null;
  onPick(key: string): void;
}

const costOf = (p: SearchPoint, axis: CostAxis) =>
  axis === 'bops' ? p.cost.bops : p.cost.sizeBits;

/**
 * Accuracy (search split) vs BOPs or model size of every evaluated configuration: the Pareto
 * front drawn over them and joined, the chosen and the current configuration marked. Each
 * point is a button: clicking it applies that configuration.
 */
export const ParetoChart = memo(function ParetoChart(props: Props) {
  const { points, front, axis, onPick } = props;
  const rows = (keys: readonly string[]) =>
    keys.flatMap((k) => {
      const p = points.find((q) => q.key === k);
      return p ? [{ key: k, cost: costOf(p, axis), accuracy: p.accuracy }] : [];
    });
  const all: Row[] = points.map((p) => ({
    key: p.key,
    cost: costOf(p, axis),
    accuracy: p.accuracy,
  }));
  const onFront = new Set(front);
  const shape = (kind: 'point' | 'front' | 'chosen' | 'current') =>
    function Dot(raw: unknown) {
      const { cx, cy, payload } = raw as { cx?: number; cy?: number; payload?: Row };
      if (cx === undefined || cy === undefined || !payload) return <g />;
      const r = { point: 3, front: 4.5, chosen: 7, current: 9 }[kind];
      const pick = () => onPick(payload.key);
      return (
        <circle
          cx={cx}
          cy={cy}
          r={r}
          role="button"
          tabIndex={kind === 'current' ? -1 : 0}
          aria-label={`Apply ${payload.key}: ${percent(payload.accuracy)}, ${compact(payload.cost)}`}
          data-key={payload.key}
          data-kind={kind}
          fill={
            kind === 'current'
              ? 'none'
              : kind === 'point'
                ? '#b8bcc4'
                : kind === 'front'
                  ? OKABE_ITO.blue
                  : OKABE_ITO.vermillion
          }
          stroke={kind === 'current' ? OKABE_ITO.black : 'none'}
          strokeWidth={2}
          style={{ cursor: 'pointer', pointerEvents: kind === 'current' ? 'none' : 'auto' }}
          onClick={pick}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') pick();
          }}
        />
      );
    };
  const caption = `Accuracy (search split) vs ${axis === 'bops' ? 'bit-operations' : 'model size (bits)'}: ${points.length} configurations, ${front.length} on the Pareto front`;
  return (
    <figure
      className="chart pareto"
      data-testid="pareto-chart"
      data-points={points.length}
      data-front={front.length}
      data-axis={axis}
    >
      <figcaption>{caption}</figcaption>
      <ChartPngButton label={caption} />
      <ResponsiveContainer width="100%" height={260}>
        <ScatterChart margin={{ top: 8, right: 16, bottom: 4, left: 4 }} title={caption}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="cost"
            type="number"
            name={axis === 'bops' ? 'BOPs' : 'size (bits)'}
            domain={['auto', 'auto']}
            tick={{ fontSize: 10 }}
            tickFormatter={compact}
          />
          <YAxis
            dataKey="accuracy"
            type="number"
            name="accuracy"
            // Accuracies end at 100%; 'auto' would round the top up past it.
            domain={[(min: number) => Math.max(0, Math.floor(min * 50) / 50), 1]}
            tick={{ fontSize: 10 }}
            tickFormatter={(v: number) => percent(v, 1)}
          />
          <Tooltip
            formatter={(v, name) =>
              typeof v !== 'number' ? String(v) : name === 'accuracy' ? percent(v) : compact(v)
            }
          />
          {props.target !== null && (
            <ReferenceLine
              y={props.target}
              stroke={REFERENCE_GREY}
              strokeDasharray="4 3"
              label={{ value: 'target', fontSize: 10 }}
            />
          )}
          <Scatter
            data={all.filter((r) => !onFront.has(r.key))}
            shape={shape('point')}
            isAnimationActive={false}
          />
          <Scatter
            data={rows(front)}
            shape={shape('front')}
            line={{ stroke: OKABE_ITO.blue }}
            isAnimationActive={false}
          />
          {props.chosen && (
            <Scatter
              data={rows([props.chosen])}
              shape={shape('chosen')}
              isAnimationActive={false}
            />
          )}
          {props.current && (
            <Scatter
              data={rows([props.current])}
              shape={shape('current')}
              isAnimationActive={false}
            />
          )}
        </ScatterChart>
      </ResponsiveContainer>
    </figure>
  );
});
