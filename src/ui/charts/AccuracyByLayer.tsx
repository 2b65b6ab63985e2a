import { memo } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LayerReport } from '@/store/types';
import { percent } from '../format';
import { OKABE_ITO, REFERENCE_GREY } from './palette';

/**
 * Accuracy per layer (AIMET QuantAnalyzer, paper 3.7 step 5): bars with only that layer's
 * quantizers on, the cumulative curve with layers 1..i on, and the FP32 and fully quantized
 * accuracies as reference lines. The layer where the curve drops is the one to keep wider.
 */
export const AccuracyByLayer = memo(function AccuracyByLayer(props: {
  layers: LayerReport[];
  fp32: number | null;
  quantized: number | null;
}) {
  const rows = props.layers.map((l) => ({
    node: l.node,
    only: l.sensitivity?.accuracy ?? null,
    cumulative: l.cumulative?.accuracy ?? null,
  }));
  const measured = rows.some((r) => r.only !== null);
  // Zoomed to the values (in 5% steps), so a 1% drop is visible on a 98% model.
  const values = [
    ...rows.flatMap((r) => [r.only, r.cumulative]),
    props.fp32,
    props.quantized,
  ].filter((v): v is number => v !== null);
  const low = Math.max(0, Math.floor(((values.length ? Math.min(...values) : 0) - 0.02) * 20) / 20);
  return (
    <figure
      className="chart"
      data-testid="accuracy-by-layer"
      data-values={JSON.stringify(rows)}
      data-fp32={props.fp32 ?? ''}
      data-quantized={props.quantized ?? ''}
    >
      <figcaption>
        Accuracy per layer: only this layer quantized (bars), layers 1..i quantized (line)
        {!measured && ' — press “Per-layer sensitivity” to measure'}
      </figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <ComposedChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="node" tick={{ fontSize: 10 }} interval={0} />
          <YAxis
            domain={[low, 1]}
            allowDataOverflow
            tick={{ fontSize: 10 }}
            width={40}
            tickFormatter={(v: number) => percent(v, 0)}
          />
          <Tooltip formatter={(v) => (typeof v === 'number' ? percent(v) : String(v))} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {props.fp32 !== null && (
            <ReferenceLine
              y={props.fp32}
              stroke={REFERENCE_GREY}
              strokeDasharray="4 3"
              label={{ value: 'FP32', position: 'insideTopLeft', fontSize: 10 }}
            />
          )}
          {props.quantized !== null && (
            <ReferenceLine
              y={props.quantized}
              stroke={OKABE_ITO.vermillion}
              strokeDasharray="4 3"
              label={{ value: 'all quantized', position: 'insideBottomRight', fontSize: 10 }}
            />
          )}
          <Bar dataKey="only" name="only this" fill={OKABE_ITO.sky} isAnimationActive={false} />
          <Line
            dataKey="cumulative"
            name="cumulative"
            stroke={OKABE_ITO.blue}
            strokeWidth={2}
            connectNulls
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
});
