import { memo } from 'react';
import { comparable } from '@/store/compare';
import { useAppStore } from '@/store/hooks';
import type { QuantResult } from '@/store/types';
import { Hideable } from '../Hideable';
import { AccuracyByLayer } from '../charts/AccuracyByLayer';
import { SqnrByLayer } from '../charts/SqnrByLayer';
import { BoundaryPanel } from './BoundaryPanel';
import { LayerInspector } from './LayerInspector';
import { SweepPanel } from './SweepPanel';

/**
 * The live charts under the layer table: the selected layer's histograms and channel ranges,
 * SQNR and accuracy per layer, the bit-width sweep and (2-D models) the decision boundaries.
 * Memoised on the result, so a slider step re-renders only what reads the config.
 */
export const ChartsSection = memo(function ChartsSection({ result }: { result: QuantResult }) {
  const pinned = useAppStore((s) => s.baseline);
  // Per-layer baselines only beside a result of the same model (store/compare.ts).
  const baseline = comparable(pinned, result) ? pinned : null;
  return (
    <section className="charts" aria-label="Charts">
      <h3>Charts</h3>
      <LayerInspector layers={result.layers} />
      <div className="charts-row">
        <SqnrByLayer layers={result.layers} baseline={baseline?.layers ?? null} />
        <AccuracyByLayer
          layers={result.layers}
          fp32={result.fp32Accuracy}
          quantized={result.quantAccuracy}
          baseline={baseline}
        />
      </div>
      <Hideable group="sweep">
        <h4>Accuracy vs bit-width</h4>
        <SweepPanel />
      </Hideable>
      <BoundaryPanel />
    </section>
  );
});
