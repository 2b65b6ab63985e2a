import { memo } from 'react';
import { Line, ReferenceLine } from 'recharts';
import type { Baseline } from '@/store/compare';
import type { LayerReport } from '@/store/types';
import { percent } from '../format';
import { OKABE_ITO, REFERENCE_GREY } from './palette';
import { layerRows, PerLayerChart, seriesBars } from './PerLayerChart';
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
  const rows = layerRows(props.layers, baseline?.layers ?? null, [
    {
      key: 'only',
      current: (l) => l.sensitivity?.accuracy ?? null,
      base: (b) => b?.sensitivity ?? null,
    },
    {
      key: 'cumulative',
      current: (l) => l.cumulative?.accuracy ?? null,
      base: (b) => b?.cumulative ?? null,
    },
  ]);
  const measured = rows.some((r) => r.only !== null);
  const baseQuantized = baseline?.quantAccuracy ?? null;
  // Zoomed to the values (in 5% steps), so a 1% drop is visible on a 98% model.
  const values = [
    ...rows.flatMap((r) => [r.only, r.cumulative, r.baseOnly ?? null, r.baseCumulative ?? null]),
    props.fp32,
    props.quantized,
    baseQuantized,
  ].filter((v): v is number => v !== null);
  const low = Math.max(0, Math.floor(((values.length ? Math.min(...values) : 0) - 0.02) * 20) / 20);
  return (
    <PerLayerChart
      testId="accuracy-by-layer"
      data={{
        'data-values': JSON.stringify(rows),
        'data-fp32': props.fp32 ?? '',
        'data-quantized': props.quantized ?? '',
        'data-baseline-quantized': baseQuantized ?? '',
      }}
      caption={
        <>
          Accuracy per layer: only this layer quantized (bars), layers 1..i quantized (line)
          {!measured && ' — press “Per-layer sensitivity” to measure'}
        </>
      }
      pngLabel="accuracy per layer"
      rows={rows}
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
      lines
      yAxis={{
        domain: [low, 1],
        allowDataOverflow: true,
        width: 40,
        tickFormatter: (v: number) => percent(v, 0),
      }}
      tooltip={(v) => (typeof v === 'number' ? percent(v) : String(v))}
    >
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
      {seriesBars(
        { key: 'only', name: 'only this', baseName: 'only this, baseline', colour: OKABE_ITO.sky },
        baseline !== null,
      )}
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
    </PerLayerChart>
  );
});
