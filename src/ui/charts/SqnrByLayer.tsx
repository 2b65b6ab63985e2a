import { memo } from 'react';
import type { BaselineLayer } from '@/store/compare';
import type { LayerReport } from '@/store/types';
import { dbText } from '../format';
import { OKABE_ITO } from './palette';
import { layerRows, PerLayerChart, seriesBars } from './PerLayerChart';
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
  const rows = layerRows(layers, baseline, [
    {
      key: 'weights',
      current: (l) => finite(l.weight?.sqnrDb),
      base: (b) => finite(b?.weightSqnrDb),
    },
    {
      key: 'activations',
      current: (l) => finite(l.activation?.sqnrDb),
      base: (b) => finite(b?.activationSqnrDb),
    },
  ]);
  const withBaseline = baseline !== null;
  return (
    <PerLayerChart
      testId="sqnr-by-layer"
      data={{
        'data-values': JSON.stringify(rows),
        'data-bars': rows.reduce(
          (n, r) => n + (r.weights !== null ? 1 : 0) + (r.activations !== null ? 1 : 0),
          0,
        ),
        'data-baseline': baseline ? 'true' : 'false',
      }}
      caption={
        <>SQNR per layer (dB): weights and activations{baseline && ', baseline beside current'}</>
      }
      pngLabel="SQNR per layer"
      rows={rows}
      title="SQNR per layer"
      desc={`${listSummary(
        'W-SQNR (dB)',
        rows.map((r) => ({ label: r.node, value: r.weights })),
      )}. ${listSummary(
        'A-SQNR (dB)',
        rows.map((r) => ({ label: r.node, value: r.activations })),
      )}.`}
      yAxis={{ width: 36 }}
      tooltip={(v) => `${dbText(typeof v === 'number' ? v : null)} dB`}
    >
      {seriesBars(
        { key: 'weights', name: 'W-SQNR', baseName: 'W-SQNR baseline', colour: OKABE_ITO.blue },
        withBaseline,
      )}
      {seriesBars(
        {
          key: 'activations',
          name: 'A-SQNR',
          baseName: 'A-SQNR baseline',
          colour: OKABE_ITO.orange,
        },
        withBaseline,
      )}
    </PerLayerChart>
  );
});
