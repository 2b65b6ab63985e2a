import type { CompareRow } from '@/store/compare';
import { dbText, percent } from '../format';

/** A signed delta for a cell; the sign carries the meaning, the colour only repeats it. */
function DeltaCell(props: { col: string; value: number | null; format: (x: number) => string }) {
  const v = props.value;
  const sign = v === null || v === 0 ? '' : v > 0 ? '+' : '−';
  return (
    <td
      data-col={props.col}
      data-value={v ?? ''}
      className={v === null || v === 0 ? 'delta' : v < 0 ? 'delta worse' : 'delta better'}
    >
      {v === null ? '' : `${sign}${props.format(Math.abs(v))}`}
    </td>
  );
}

const pp = (x: number) => `${(x * 100).toFixed(2)} pp`;

/** The baseline columns' headers, in the order BaselineCells writes them. */
export function BaselineHeaders() {
  return (
    <>
      <th title="Weight SQNR (dB) of the pinned baseline">W-SQNR base</th>
      <th title="Weight SQNR now minus the baseline's (dB)">Δ W</th>
      <th title="Activation SQNR (dB) of the pinned baseline">A-SQNR base</th>
      <th title="Activation SQNR now minus the baseline's (dB)">Δ A</th>
      <th title="Only-this-layer accuracy of the baseline">Only this base</th>
      <th title="Only-this-layer accuracy now minus the baseline's (percentage points)">Δ only</th>
    </>
  );
}

/** One row's baseline figures beside the current ones (store/compare.ts compareRows). */
export function BaselineCells({ row }: { row: CompareRow | undefined }) {
  const b = row?.baseline ?? null;
  return (
    <>
      <td data-col="w-sqnr-base">{dbText(b?.weightSqnrDb)}</td>
      <DeltaCell col="w-sqnr-delta" value={row?.weightSqnrDelta ?? null} format={dbText} />
      <td data-col="a-sqnr-base">{dbText(b?.activationSqnrDb)}</td>
      <DeltaCell col="a-sqnr-delta" value={row?.activationSqnrDelta ?? null} format={dbText} />
      <td data-col="sensitivity-base">{b?.sensitivity == null ? '' : percent(b.sensitivity)}</td>
      <DeltaCell col="sensitivity-delta" value={row?.sensitivityDelta ?? null} format={pp} />
    </>
  );
}
