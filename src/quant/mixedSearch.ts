/**
 * Mixed-precision search over per-slot bit-widths (the algorithm only: the evaluator and the
 * cost are passed in, so it runs on a stub or on a real model alike). After AIMET's automatic
 * mixed precision: measure each slot's sensitivity alone, then lower bit-widths greedily by
 * the accuracy lost per unit of cost saved. Two additions over plain greedy: a small beam (the
 * best few states per step, not one) and a final swap search (raise one slot, lower another)
 * from the cheapest configuration that meets the target. Every evaluated configuration is
 * kept, so the caller can draw all of them and their Pareto front.
 */
import { assignmentKey, cheapestFeasible, greedy, movesFrom, swaps } from './mixedSearchMoves';

export { assignmentKey };
import { paretoIndices } from './pareto';

export type SlotKind = 'weights' | 'activations';

/** One searchable quantizer slot and its candidate bit-widths. */
export interface Knob {
  id: string;
  kind: SlotKind;
  /** Highest first; the search starts with every knob at candidates[0]. */
  candidates: readonly number[];
}

/** Bits per knob id. */
export type Assignment = Readonly<Record<string, number>>;
export type SearchPhase = 'baseline' | 'uniform' | 'sensitivity' | 'greedy' | 'swap' | 'exhaustive';
export type Objective = 'bops' | 'size';

export interface Evaluated {
  key: string;
  assignment: Assignment;
  accuracy: number;
  bops: number;
  sizeBits: number;
  phase: SearchPhase;
}

export interface MixedSearchInput {
  knobs: readonly Knob[];
  cost(a: Assignment): { bops: number; sizeBits: number };
  /** Accuracy of a configuration on the search split; may throw to cancel. */
  evaluate(a: Assignment): Promise<number>;
  /** The least accuracy a chosen configuration may have (e.g. FP32 − budget). */
  target: number;
  objective: Objective;
  /** Evaluate every assignment when there are at most this many (default 0: never). */
  exhaustiveLimit?: number;
  /** States kept per greedy step (default 2; 1 is plain greedy). */
  beam?: number;
  /** Feasible children tried per state before moving on (default 2). */
  tries?: number;
  /** Run the final swap search (default true; false with beam 1 is plain greedy). */
  swaps?: boolean;
  /** Stop adding evaluations after this many (default 400). */
  maxEvaluations?: number;
  onEvaluated?(p: Evaluated, done: number, planned: number): void;
}

export interface MixedSearchOutcome {
  points: Evaluated[];
  /** Keys of the front (accuracy vs BOPs, and vs size), cheapest first. */
  frontBops: string[];
  frontSize: string[];
  /** The cheapest point (by the objective) meeting the target; null when none does. */
  chosen: string | null;
  /** Accuracy with only that knob lowered to `bits` (the others at their highest). */
  sensitivity: { knob: string; bits: number; accuracy: number }[];
}

/** Every assignment of the knobs (the exact space), first knob slowest. */
export function allAssignments(knobs: readonly Knob[]): Assignment[] {
  return knobs.reduce<Assignment[]>(
    (acc, k) => acc.flatMap((a) => k.candidates.map((b) => ({ ...a, [k.id]: b }))),
    [{}],
  );
}

export async function mixedSearch(input: MixedSearchInput): Promise<MixedSearchOutcome> {
  const { knobs, target } = input;
  const maxEvaluations = input.maxEvaluations ?? 400;
  const costOf = (a: Assignment) => {
    const c = input.cost(a);
    return input.objective === 'bops' ? c.bops : c.sizeBits;
  };
  const points = new Map<string, Evaluated>();
  const space = knobs.reduce((n, k) => n * k.candidates.length, 1);
  const exhaustive = space <= (input.exhaustiveLimit ?? 0);
  const sensCount = knobs.reduce((n, k) => n + k.candidates.length - 1, 0);
  let planned = exhaustive ? space : Math.min(maxEvaluations, 1 + 6 + sensCount * 4);
  const run = async (a: Assignment, phase: SearchPhase): Promise<Evaluated> => {
    const key = assignmentKey(knobs, a);
    const seen = points.get(key);
    if (seen) return seen;
    const p: Evaluated = {
      key,
      assignment: a,
      accuracy: await input.evaluate(a),
      phase,
      ...input.cost(a),
    };
    points.set(key, p);
    planned = Math.max(planned, points.size);
    input.onEvaluated?.(p, points.size, planned);
    return p;
  };
  const budgetLeft = () => points.size < maxEvaluations;

  const top: Assignment = Object.fromEntries(knobs.map((k) => [k.id, k.candidates[0] as number]));
  const base = await run(top, 'baseline');
  const sensitivity: MixedSearchOutcome['sensitivity'] = [];
  if (exhaustive) {
    for (const a of allAssignments(knobs)) await run(a, 'exhaustive');
  } else {
    for (const a of uniformAssignments(knobs)) await run(a, 'uniform');
    for (const k of knobs)
      for (const bits of k.candidates.slice(1)) {
        const p = await run({ ...top, [k.id]: bits }, 'sensitivity');
        sensitivity.push({ knob: k.id, bits, accuracy: p.accuracy });
      }
    const loss = (id: string, bits: number) =>
      Math.max(
        0,
        base.accuracy -
          (sensitivity.find((s) => s.knob === id && s.bits === bits)?.accuracy ?? base.accuracy),
      );
    const moves = (state: Assignment) => movesFrom(knobs, state, costOf, loss);
    await greedy(base, moves, run, target, input.beam ?? 2, input.tries ?? 2, budgetLeft);
    if (input.swaps ?? true)
      await swaps(() => [...points.values()], knobs, costOf, loss, run, target, budgetLeft);
  }
  const all = [...points.values()];
  const front = (c: (p: Evaluated) => number) =>
    paretoIndices(
      all.map((p) => p.accuracy),
      all.map(c),
    ).map((i) => (all[i] as Evaluated).key);
  return {
    points: all,
    frontBops: front((p) => p.bops),
    frontSize: front((p) => p.sizeBits),
    chosen: cheapestFeasible(all, target, (p) => costOf(p.assignment))?.key ?? null,
    sensitivity,
  };
}

/** Every knob at one weight width and one activation width (both sides' candidate unions). */
export function uniformAssignments(knobs: readonly Knob[]): Assignment[] {
  const bitsOf = (kind: SlotKind) => [
    ...new Set(knobs.filter((k) => k.kind === kind).flatMap((k) => k.candidates)),
  ];
  const ws = bitsOf('weights');
  const as = bitsOf('activations');
  return (ws.length ? ws : [0]).flatMap((w) =>
    (as.length ? as : [0]).map((b) =>
      Object.fromEntries(
        knobs.map((k) => {
          const want = k.kind === 'weights' ? w : b;
          return [k.id, k.candidates.includes(want) ? want : (k.candidates[0] as number)];
        }),
      ),
    ),
  );
}
