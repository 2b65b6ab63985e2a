import { memo } from 'react';
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
import { delta, type BaselineLayer } from '@/store/compare';
import type { LayerReport } from '@/store/types';
import { dbText } from '../format';
import { OKABE_ITO } from './palette';
import { ChartPngButton } from './ChartPngButton';
import { listSummary } from './summary';

/** A finite SQNR, or null (not measured, or an exact copy: ∞ has no bar height). */
const finite = (v: number | null | undefined) =>
  v !== null && v !== undefined && Number.isFinite(v) ? v : null;

/**
 * Weight and activation SQNR per layer (dB; quant/metrics convention 10·log10 Σx²/Σ(x − x̂)²),
 * from the run's layer reports: the same numbers as the table's W-SQNR and A-SQNR columns.
 * About 6 dB per bit (paper 2.2); a layer far below the others is where to look first. With a
 * pinned baseline (same model), its bars stand beside the current ones (lighter, outlined).
 */
export const SqnrByLayer = memo(function SqnrByLayer({
  layers,
  baseline = null,
}: {
  layers: LayerReport[];
  baseline?: BaselineLayer[] | null;
}) {
  const byNode = new Map(baseline?.map((b) => [b.node, b]));
  const rows = layers.map((l) => {
    const weights = finite(l.weight?.sqnrDb);
    const activations = finite(l.activation?.sqnrDb);
    if (!baseline) return { node: l.node, weights, activations };
    const b = byNode.get(l.node);
    const baseWeights = finite(b?.weightSqnrDb);
    const baseActivations = finite(b?.activationSqnrDb);
    return {
      node: l.node,
      weights,
      activations,
      baseWeights,
      baseActivations,
      deltaWeights: delta(weights, baseWeights),
      deltaActivations: delta(activations, baseActivations),
    };
  });
  return (
    <figure
      className="chart"
      data-testid="sqnr-by-layer"
      data-values={JSON.stringify(rows)}
      data-bars={rows.reduce(
        (n, r) => n + (r.weights !== null ? 1 : 0) + (r.activations !== null ? 1 : 0),
        0,
      )}
      data-baseline={baseline ? 'true' : 'false'}
    >
      <figcaption>
        SQNR per layer (dB): weights and activations{baseline && ', baseline beside current'}
      </figcaption>
      <ChartPngButton label="SQNR per layer" />
      <ResponsiveContainer width="100%" height={200}>
        <BarChart
          data={rows}
          margin={{ top: 4, right: 12, bottom: 4, left: 4 }}
          title="SQNR per layer"
          desc={`${listSummary(
            'W-SQNR (dB)',
            rows.map((r) => ({ label: r.node, value: r.weights })),
          )}. ${listSummary(
            'A-SQNR (dB)',
            rows.map((r) => ({ label: r.node, value: r.activations })),
          )}.`}
        >
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="node" tick={{ fontSize: 10 }} interval={0} />
          <YAxis tick={{ fontSize: 10 }} width={36} />
          <Tooltip formatter={(v) => `${dbText(typeof v === 'number' ? v : null)} dB`} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {baseline && (
            <Bar
              dataKey="baseWeights"
              name="W-SQNR baseline"
              fill={OKABE_ITO.blue}
              fillOpacity={0.3}
              stroke={OKABE_ITO.blue}
              strokeDasharray="3 2"
              legendType="diamond"
              isAnimationActive={false}
            />
          )}
          <Bar dataKey="weights" name="W-SQNR" fill={OKABE_ITO.blue} isAnimationActive={false} />
          {baseline && (
            <Bar
              dataKey="baseActivations"
              name="A-SQNR baseline"
              fill={OKABE_ITO.orange}
              fillOpacity={0.3}
              stroke={OKABE_ITO.orange}
              strokeDasharray="3 2"
              legendType="diamond"
              isAnimationActive={false}
            />
          )}
          <Bar
            dataKey="activations"
            name="A-SQNR"
            fill={OKABE_ITO.orange}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
});
