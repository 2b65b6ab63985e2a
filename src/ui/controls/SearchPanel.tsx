import { useState } from 'react';
import { useAppStore } from '@/store/hooks';
import { searchKeyOf } from '@/store/searchActions';
import type { SearchPoint, SearchResult } from '@/store/types';
import { ParetoChart, type CostAxis } from '../charts/ParetoChart';
import { costText, sizeText } from '../costText';
import { compact, percent, seconds } from '../format';
import { NumberField } from './NumberField';

const WEIGHT_CHOICES = [8, 6, 4, 3, 2];
const ACTIVATION_CHOICES = [8, 6, 4];

function BitBoxes(props: {
  label: string;
  choices: number[];
  value: number[];
  onChange(v: number[]): void;
}) {
  return (
    <fieldset className="search-bits">
      <legend>{props.label}</legend>
      {props.choices.map((b) => (
        <label key={b}>
          <input
            type="checkbox"
            aria-label={`${props.label} ${b}`}
            checked={props.value.includes(b)}
            onChange={(e) => {
              const next = e.target.checked
                ? [...props.value, b]
                : props.value.filter((x) => x !== b);
              if (next.length) props.onChange(next.sort((x, y) => y - x));
            }}
          />
          {b}
        </label>
      ))}
    </fieldset>
  );
}

function PointLine({
  label,
  p,
  fp32,
}: {
  label: string;
  p: SearchPoint | undefined;
  fp32: number | null;
}) {
  if (!p) return null;
  return (
    <li
      data-testid={`search-${label.toLowerCase().replace(/\W+/g, '-')}`}
      data-key={p.key}
      data-bops={p.cost.bops}
    >
      {label}: search split {percent(p.accuracy)}, test{' '}
      {p.testAccuracy === null ? '—' : percent(p.testAccuracy)}
      {fp32 !== null &&
        p.testAccuracy !== null &&
        ` (${((p.testAccuracy - fp32) * 100).toFixed(2)} points)`}
      ; {costText(p.cost)} <a href={`#${p.link}`}>link</a>
    </li>
  );
}

function Summary({ r }: { r: SearchResult }) {
  const byKey = new Map(r.points.map((p) => [p.key, p]));
  const chosen = byKey.get(r.chosen ?? '');
  const uniform = byKey.get(r.bestUniform ?? '');
  return (
    <ul className="search-summary" data-testid="search-summary" data-stage={r.stage}>
      <li>
        FP32: search split {r.fp32.search === null ? '…' : percent(r.fp32.search)} ({r.searchCount}{' '}
        calibration-split images), test {r.fp32.test === null ? '…' : percent(r.fp32.test)} (
        {r.testCount} items); target {r.target === null ? '…' : percent(r.target)}.
      </li>
      <PointLine label="Chosen" p={chosen} fp32={r.fp32.test} />
      <PointLine label="Best uniform" p={uniform} fp32={r.fp32.test} />
      {chosen && uniform && (
        <li data-testid="search-saving">
          Against the best uniform choice: {(uniform.cost.bops / chosen.cost.bops).toFixed(2)}×
          fewer BOPs, {(chosen.cost.sizeBits / uniform.cost.sizeBits).toFixed(2)}× its size.
        </li>
      )}
      {r.stage === 'done' && (
        <li className="muted">
          {r.points.length} configurations evaluated; preparing {seconds(r.millis.prepare)}, search{' '}
          {seconds(r.millis.search)}, confirmation {seconds(r.millis.confirm)}.
        </li>
      )}
      {r.warnings.map((w) => (
        <li key={w} className="muted">
          {w}
        </li>
      ))}
    </ul>
  );
}

/**
 * Mixed-precision search (AIMET AMP-like, engine/search/): per-layer bit-widths under an
 * accuracy budget, every evaluated configuration on the accuracy-vs-cost chart; clicking a
 * point applies it (per-layer overrides, so the share link changes).
 */
export function SearchPanel() {
  const search = useAppStore((s) => s.search);
  const config = useAppStore((s) => s.config);
  const ready = useAppStore((s) => s.engine.status === 'ready');
  const runSearch = useAppStore((s) => s.runSearch);
  const cancelSearch = useAppStore((s) => s.cancelSearch);
  const setSearchOptions = useAppStore((s) => s.setSearchOptions);
  const applySearchPoint = useAppStore((s) => s.applySearchPoint);
  const [axis, setAxis] = useState<CostAxis | null>(null);
  const o = search.options;
  const r = search.result?.modelId === config.model ? search.result : null;
  const running = search.status === 'running';
  const shown = axis ?? o.objective;
  const current = r ? searchKeyOf(config, r.knobs) : null;
  const front = r ? (shown === 'bops' ? r.frontBops : r.frontSize) : [];
  return (
    <section
      className="search"
      aria-label="Mixed-precision search"
      data-testid="search"
      data-status={search.status}
    >
      <h2>Mixed-precision search</h2>
      <div className="search-controls">
        <NumberField
          label="Budget (points below FP32)"
          value={o.budget}
          step={0.1}
          min={0}
          accept={(n) => n >= 0 && n <= 100}
          onChange={(budget) => setSearchOptions({ budget })}
        />
        <BitBoxes
          label="Weight bits"
          choices={WEIGHT_CHOICES}
          value={o.weightBits}
          onChange={(weightBits) => setSearchOptions({ weightBits })}
        />
        <BitBoxes
          label="Activation bits"
          choices={ACTIVATION_CHOICES}
          value={o.activationBits}
          onChange={(activationBits) => setSearchOptions({ activationBits })}
        />
        <label>
          Minimise{' '}
          <select
            aria-label="Search objective"
            value={o.objective}
            onChange={(e) =>
              setSearchOptions({ objective: e.target.value === 'size' ? 'size' : 'bops' })
            }
          >
            <option value="bops">BOPs</option>
            <option value="size">model size</option>
          </select>
        </label>
        {running ? (
          <button type="button" onClick={cancelSearch}>
            Cancel search
          </button>
        ) : (
          <button type="button" disabled={!ready} onClick={() => void runSearch()}>
            Search bit-widths
          </button>
        )}
        {running && search.progress && (
          <span className="quant-progress">
            <progress
              aria-label="Search progress"
              max={search.progress.total}
              value={search.progress.done}
            />
            <span className="muted">{search.progress.phase}</span>
          </span>
        )}
      </div>
      {r && <Summary r={r} />}
      {r && r.points.length > 0 && (
        <>
          <div role="radiogroup" aria-label="Cost axis" className="search-axis">
            {(['bops', 'size'] as const).map((a) => (
              <label key={a}>
                <input
                  type="radio"
                  name="search-axis"
                  checked={shown === a}
                  onChange={() => setAxis(a)}
                />
                {a === 'bops' ? 'BOPs' : 'size'}
              </label>
            ))}
          </div>
          <ParetoChart
            points={r.points}
            front={front}
            axis={shown}
            chosen={r.chosen ?? r.searchChosen}
            current={current}
            target={r.target}
            onPick={applySearchPoint}
          />
          <FrontTable r={r} front={front} current={current} onPick={applySearchPoint} />
        </>
      )}
    </section>
  );
}

function FrontTable(props: {
  r: SearchResult;
  front: readonly string[];
  current: string | null;
  onPick(k: string): void;
}) {
  const byKey = new Map(props.r.points.map((p) => [p.key, p]));
  return (
    <table className="search-front" data-testid="search-front">
      <caption>
        Pareto front, cheapest first (bits per slot in the order {props.r.knobs.join(', ')})
      </caption>
      <thead>
        <tr>
          <th>bits</th>
          <th>search acc.</th>
          <th>test acc.</th>
          <th>BOPs</th>
          <th>size</th>
          <th>accumulator</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {props.front.map((k) => {
          const p = byKey.get(k);
          if (!p) return null;
          return (
            <tr key={k} data-key={k} className={k === props.current ? 'selected' : ''}>
              <td>{k}</td>
              <td>{percent(p.accuracy)}</td>
              <td>{p.testAccuracy === null ? '' : percent(p.testAccuracy)}</td>
              <td>{compact(p.cost.bops)}</td>
              <td>{sizeText(p.cost.sizeBits)}</td>
              <td>{p.cost.maxAccumulatorBits ?? 'float'}</td>
              <td>
                <button type="button" onClick={() => props.onPick(k)} aria-label={`Apply ${k}`}>
                  apply
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
