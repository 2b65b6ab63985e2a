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
import type { LayerReport } from '@/store/types';
import { dbText } from '../format';
import { OKABE_ITO } from './palette';

/** A finite SQNR, or null (not measured, or an exact copy: ∞ has no bar height). */
const finite = (v: number | null | undefined) =>
  v !== null && v !== undefined && Number.isFinite(v) ? v : null;

/**
 * Weight and activation SQNR per layer (dB; quant/metrics convention 10·log10 Σx²/Σ(x − x̂)²),
 * from the run's layer reports: the same numbers as the table's W-SQNR and A-SQNR columns.
 * About 6 dB per bit (paper 2.2); a layer far below the others is where to look first.
 */
export const SqnrByLayer = memo(function SqnrByLayer({ layers }: { layers: LayerReport[] }) {
  const rows = layers.map((l) => ({
    node: l.node,
    weights: finite(l.weight?.sqnrDb),
    activations: finite(l.activation?.sqnrDb),
  }));
  return (
    <figure
      className="chart"
      data-testid="sqnr-by-layer"
      data-values={JSON.stringify(rows)}
      data-bars={rows.reduce(
        (n, r) => n + (r.weights !== null ? 1 : 0) + (r.activations !== null ? 1 : 0),
        0,
      )}
    >
      <figcaption>SQNR per layer (dB): weights and activations</figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <BarChart data={rows} margin={{ top: 4, right: 12, bottom: 4, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="node" tick={{ fontSize: 10 }} interval={0} />
          <YAxis tick={{ fontSize: 10 }} width={36} />
          <Tooltip formatter={(v) => `${dbText(typeof v === 'number' ? v : null)} dB`} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Bar dataKey="weights" name="W-SQNR" fill={OKABE_ITO.blue} isAnimationActive={false} />
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
