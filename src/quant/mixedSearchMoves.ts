/**
 * The descent steps of the mixed-precision search (mixedSearch.ts): moves ordered by
 * AIMET AMP's sensitivity ratio, the beam descent and the final swap search.
 */
import type { Assignment, Evaluated, Knob, SearchPhase } from './mixedSearch';

/** @example assignmentKey([{ id: 'w:a', ... }, { id: 'a:b', ... }], { 'w:a': 4, 'a:b': 8 }) === '4.8' */
export function assignmentKey(knobs: readonly Knob[], a: Assignment): string {
  return knobs.map((k) => a[k.id] ?? k.candidates[0]).join('.');
}

const lower = (k: Knob, bits: number): number | undefined =>
  k.candidates[k.candidates.indexOf(bits) + 1];

export function cheapestFeasible(
  points: readonly Evaluated[],
  target: number,
  cost: (p: Evaluated) => number,
): Evaluated | null {
  let best: Evaluated | null = null;
  for (const p of points) {
    if (p.accuracy < target) continue;
    if (!best || cost(p) < cost(best) || (cost(p) === cost(best) && p.accuracy > best.accuracy))
      best = p;
  }
  return best;
}

export interface Move {
  next: Assignment;
  saved: number;
  /** Sensitivity-estimated accuracy loss per unit of cost saved (lower first). */
  score: number;
}

/** One knob one step lower, ordered by estimated loss per cost saved (AIMET AMP's ratio). */
export function movesFrom(
  knobs: readonly Knob[],
  state: Assignment,
  cost: (a: Assignment) => number,
  loss: (id: string, bits: number) => number,
): Move[] {
  const here = cost(state);
  const out: Move[] = [];
  for (const k of knobs) {
    const from = state[k.id] as number;
    const to = lower(k, from);
    if (to === undefined) continue;
    const next = { ...state, [k.id]: to };
    const saved = here - cost(next);
    // A slot whose bits cost nothing (e.g. the logits' activations under BOPs) is left high.
    if (saved <= 0) continue;
    out.push({ next, saved, score: Math.max(0, loss(k.id, to) - loss(k.id, from)) / saved });
  }
  return out.sort((a, b) => a.score - b.score || b.saved - a.saved);
}

export type Runner = (a: Assignment, phase: SearchPhase) => Promise<Evaluated>;

/**
 * Beam descent: from each kept state, evaluate moves in estimated order until `tries` of them
 * stay at or above the target; keep the `beam` children with the least measured loss per cost
 * saved; stop when no child meets the target.
 */
export async function greedy(
  start: Evaluated,
  moves: (a: Assignment) => Move[],
  run: Runner,
  target: number,
  beam: number,
  tries: number,
  budgetLeft: () => boolean,
): Promise<void> {
  let states = start.accuracy >= target ? [start] : [];
  while (states.length && budgetLeft()) {
    const children = new Map<string, { p: Evaluated; score: number }>();
    for (const s of states) {
      let feasible = 0;
      for (const m of moves(s.assignment)) {
        if (!budgetLeft() || feasible >= tries) break;
        const p = await run(m.next, 'greedy');
        if (p.accuracy < target) continue;
        feasible++;
        const score = Math.max(0, s.accuracy - p.accuracy) / m.saved;
        const had = children.get(p.key);
        if (!had || score < had.score) children.set(p.key, { p, score });
      }
    }
    states = [...children.values()]
      .sort((a, b) => a.score - b.score || b.p.accuracy - a.p.accuracy)
      .slice(0, beam)
      .map((c) => c.p);
  }
}

/**
 * From the cheapest feasible point: raise one knob a step and lower another one or two steps
 * (cheaper overall), best estimate first; on success descend again from the new point.
 */
export async function swaps(
  evaluated: () => readonly Evaluated[],
  knobs: readonly Knob[],
  cost: (a: Assignment) => number,
  loss: (id: string, bits: number) => number,
  run: Runner,
  target: number,
  budgetLeft: () => boolean,
): Promise<void> {
  const cheapest = () => cheapestFeasible(evaluated(), target, (p) => cost(p.assignment));
  let best = cheapest();
  const tried = new Set<string>();
  while (best && budgetLeft()) {
    const here = cost(best.assignment);
    const candidates: { next: Assignment; est: number; saved: number }[] = [];
    for (const up of knobs) {
      const from = best.assignment[up.id] as number;
      const raised = up.candidates[up.candidates.indexOf(from) - 1];
      if (raised === undefined) continue;
      for (const down of knobs) {
        if (down === up) continue;
        let bits = best.assignment[down.id] as number;
        for (let steps = 0; steps < 2; steps++) {
          const to = lower(down, bits);
          if (to === undefined) break;
          bits = to;
          const next = { ...best.assignment, [up.id]: raised, [down.id]: to };
          const saved = here - cost(next);
          if (saved <= 0) continue;
          const down0 = best.assignment[down.id] as number;
          const est =
            loss(down.id, to) - loss(down.id, down0) - (loss(up.id, from) - loss(up.id, raised));
          candidates.push({ next, est, saved });
        }
      }
    }
    candidates.sort((a, b) => a.est - b.est || b.saved - a.saved);
    let improved: Evaluated | null = null;
    for (const c of candidates.slice(0, knobs.length)) {
      if (!budgetLeft()) break;
      const key = assignmentKey(knobs, c.next);
      if (tried.has(key)) continue;
      tried.add(key);
      const p = await run(c.next, 'swap');
      if (p.accuracy >= target) {
        improved = p;
        break;
      }
    }
    if (!improved) return;
    const moves = (s: Assignment) => movesFrom(knobs, s, cost, loss);
    await greedy(improved, moves, run, target, 1, 1, budgetLeft);
    best = cheapest();
    if (!best || cost(best.assignment) >= here) return;
  }
}
