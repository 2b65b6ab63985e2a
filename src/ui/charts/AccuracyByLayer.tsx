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
import { delta, type Baseline } from '@/store/compare';
import type { LayerReport } from '@/store/types';
import { percent } from '../format';
import { OKABE_ITO, REFERENCE_GREY } from './palette';
import { ChartPngButton } from './ChartPngButton';
import { listSummary } from './summary';

const PCT = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * Accuracy per layer (AIMET QuantAnalyzer, paper 3.7 step 5): bars with only that layer's
 * quantizers on, the cumulative curve with layers 1..i on, and the FP32 and fully quantized
 * accuracies as reference lines. The layer where the curve drops is the one to keep wider.
 */
export const AccuracyByLayer = memo(function AccuracyByLayer(props: {
  layers: LayerReport[];
  fp32: number | null;
  quantized: number | null;
  /** A pinned baseline of the same model: its bars, curve and accuracy beside the current. */
  baseline?: Baseline | null;
}) {
  const baseline = props.baseline ?? null;
  const byNode = new Map(baseline?.layers.map((b) => [b.node, b]));
  const rows = props.layers.map((l) => {
    const only = l.sensitivity?.accuracy ?? null;
    const cumulative = l.cumulative?.accuracy ?? null;
    if (!baseline) return { node: l.node, only, cumulative };
    const b = byNode.get(l.node);
    const baseOnly = b?.sensitivity ?? null;
    const baseCumulative = b?.cumulative ?? null;
    return {
      node: l.node,
      only,
      cumulative,
      baseOnly,
      baseCumulative,
      deltaOnly: delta(only, baseOnly),
      deltaCumulative: delta(cumulative, baseCumulative),
    };
  });
  const measured = rows.some((r) => r.only !== null);
  const baseQuantized = baseline?.quantAccuracy ?? null;
  // Zoomed to the values (in 5% steps), so a 1% drop is visible on a 98% model.
  const values = [
    ...rows.flatMap((r) => [
      r.only,
      r.cumulative,
      'baseOnly' in r ? r.baseOnly : null,
      'baseCumulative' in r ? r.baseCumulative : null,
    ]),
    props.fp32,
    props.quantized,
    baseQuantized,
  ].filter((v): v is number => v !== null);
  const low = Math.max(0, Math.floor(((values.length ? Math.min(...values) : 0) - 0.02) * 20) / 20);
  return (
    <figure
      className="chart"
      data-testid="accuracy-by-layer"
      data-values={JSON.stringify(rows)}
      data-fp32={props.fp32 ?? ''}
      data-quantized={props.quantized ?? ''}
      data-baseline-quantized={baseQuantized ?? ''}
    >
      <figcaption>
        Accuracy per layer: only this layer quantized (bars), layers 1..i quantized (line)
        {!measured && ' — press “Per-layer sensitivity” to measure'}
      </figcaption>
      <ChartPngButton label="accuracy per layer" />
      <ResponsiveContainer width="100%" height={200}>
        <ComposedChart
          data={rows}
          margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
          title="Accuracy per layer"
          desc={[
            listSummary(
              'Only this layer quantized',
              props.layers.map((l) => ({ label: l.node, value: l.sensitivity?.accuracy ?? null })),
              PCT,
            ),
            listSummary(
              'Layers 1..i quantized',
              props.layers.map((l) => ({ label: l.node, value: l.cumulative?.accuracy ?? null })),
              PCT,
            ),
            listSummary(
              'Whole model',
              [
                { label: 'FP32', value: props.fp32 },
                { label: 'quantized', value: props.quantized },
              ],
              PCT,
            ),
          ].join('. ')}
        >
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
          {baseQuantized !== null && (
            <ReferenceLine
              y={baseQuantized}
              stroke={OKABE_ITO.purple}
              strokeDasharray="2 2"
              label={{ value: 'baseline', position: 'insideBottomLeft', fontSize: 10 }}
            />
          )}
          {baseline && (
            <Bar
              dataKey="baseOnly"
              name="only this, baseline"
              fill={OKABE_ITO.sky}
              fillOpacity={0.3}
              stroke={OKABE_ITO.sky}
              strokeDasharray="3 2"
              legendType="diamond"
              isAnimationActive={false}
            />
          )}
          <Bar dataKey="only" name="only this" fill={OKABE_ITO.sky} isAnimationActive={false} />
          {baseline && (
            <Line
              dataKey="baseCumulative"
              name="cumulative, baseline"
              stroke={OKABE_ITO.purple}
              strokeWidth={2}
              strokeDasharray="5 3"
              connectNulls
              isAnimationActive={false}
            />
          )}
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
