/**
 * The search on a 3-layer model small enough to enumerate (3 weight slots × {8, 4, 2}, 3
 * activation slots × {8, 4}: 216 assignments), with a deterministic stub evaluator whose
 * losses interact (two slots low together lose more than the sum), so greedy is not exact.
 */
import { describe, expect, it } from 'vitest';
import { configCost, type CostLayer } from './bitCost';
import { allAssignments, type Assignment, type Knob, mixedSearch } from './mixedSearch';

const layers: CostLayer[] = [
  { node: 'L1', macs: 4000, weights: 200, fanIn: 9, input: 'in' },
  { node: 'L2', macs: 6000, weights: 3000, fanIn: 72, input: 'h1' },
  { node: 'L3', macs: 1000, weights: 1000, fanIn: 100, input: 'h2' },
];
const acts = ['in', 'h1', 'h2'];
const knobs: Knob[] = [
  ...layers.map((l) => ({ id: `w:${l.node}`, kind: 'weights' as const, candidates: [8, 4, 2] })),
  ...acts.map((n) => ({ id: `a:${n}`, kind: 'activations' as const, candidates: [8, 4] })),
];
const cost = (a: Assignment) =>
  configCost(layers, {
    weights: Object.fromEntries(layers.map((l) => [l.node, a[`w:${l.node}`] ?? 32])),
    activations: Object.fromEntries(acts.map((n) => [n, a[`a:${n}`] ?? 32])),
  });
const LOSS: Record<string, Record<number, number>> = {
  'w:L1': { 4: 0.004, 2: 0.05 },
  'w:L2': { 4: 0.001, 2: 0.012 },
  'w:L3': { 4: 0.002, 2: 0.006 },
  'a:in': { 4: 0.003 },
  'a:h1': { 4: 0.005 },
  'a:h2': { 4: 0.001 },
};
/** Accuracy on a 2,000-item split (multiples of 1/2000), deterministic. */
function stubAccuracy(a: Assignment): number {
  let loss = 0;
  for (const [id, table] of Object.entries(LOSS)) loss += table[a[id] ?? 8] ?? 0;
  if (a['w:L2'] === 2 && a['a:h1'] === 4) loss += 0.006;
  if (a['w:L1'] === 4 && a['a:in'] === 4) loss += 0.002;
  return Math.round((0.98 - loss) * 2000) / 2000;
}

/** The exact front by brute force: every assignment, O(n²) dominance (not pareto.ts). */
function exactFront(): { key: string; accuracy: number; bops: number }[] {
  const pts = allAssignments(knobs).map((a) => ({
    key: knobs.map((k) => a[k.id]).join('.'),
    accuracy: stubAccuracy(a),
    bops: cost(a).bops,
  }));
  const front = pts.filter(
    (p) =>
      !pts.some(
        (q) =>
          q.accuracy >= p.accuracy &&
          q.bops <= p.bops &&
          (q.accuracy > p.accuracy || q.bops < p.bops),
      ),
  );
  // One point per (accuracy, BOPs) pair.
  return [...new Map(front.map((p) => [`${p.accuracy}/${p.bops}`, p])).values()];
}

const search = (target: number, extra: Partial<Parameters<typeof mixedSearch>[0]> = {}) =>
  mixedSearch({
    knobs,
    cost,
    evaluate: async (a) => stubAccuracy(a),
    target,
    objective: 'bops',
    ...extra,
  });

describe('mixedSearch on an enumerable 3-layer model', () => {
  const exact = exactFront();
  const exactPairs = new Set(exact.map((p) => `${p.accuracy}/${p.bops}`));

  it('with the space enumerated, its front is exactly the brute-force front', async () => {
    const out = await search(0.97, { exhaustiveLimit: 1000 });
    expect(out.points).toHaveLength(216);
    const pts = new Map(out.points.map((p) => [p.key, p]));
    const pairs = out.frontBops.map((k) => `${pts.get(k)?.accuracy}/${pts.get(k)?.bops}`);
    expect(new Set(pairs)).toEqual(exactPairs);
    expect(pairs).toHaveLength(exact.length);
  });

  it('the heuristic finds the exact cheapest config meeting each target, in ≤ 20% of the space', async () => {
    for (const target of [0.975, 0.97, 0.965, 0.96, 0.95]) {
      const out = await search(target);
      const best = exact.filter((p) => p.accuracy >= target).sort((a, b) => a.bops - b.bops)[0];
      const chosen = out.points.find((p) => p.key === out.chosen);
      expect(chosen?.bops).toBe(best?.bops);
      expect(chosen?.accuracy).toBeGreaterThanOrEqual(target);
      expect(out.points.length).toBeLessThanOrEqual(0.2 * 216);
      // Every point of its front lies on the exact front (it misses some, none is wrong).
      for (const k of out.frontBops) {
        const p = out.points.find((q) => q.key === k);
        expect(exactPairs.has(`${p?.accuracy}/${p?.bops}`)).toBe(true);
      }
    }
  });

  it('plain greedy (beam 1, no swaps) misses the optimum at 0.965 that beam + swaps find', async () => {
    const plain = await search(0.965, { beam: 1, tries: 1, swaps: false });
    const ours = await search(0.965);
    const bops = (o: typeof ours) => o.points.find((p) => p.key === o.chosen)?.bops ?? NaN;
    expect(bops(ours)).toBe(224_000);
    expect(bops(plain)).toBe(240_000);
  });

  it('keeps every evaluated point once, with sensitivity of each knob alone', async () => {
    const seen: string[] = [];
    const out = await search(0.97, { onEvaluated: (p) => seen.push(p.key) });
    expect(new Set(seen).size).toBe(seen.length);
    expect(out.points.map((p) => p.key)).toEqual(seen);
    // 3 weight knobs × 2 lower widths + 3 activation knobs × 1.
    expect(out.sensitivity).toHaveLength(9);
    const l1at2 = out.sensitivity.find((s) => s.knob === 'w:L1' && s.bits === 2);
    expect(l1at2?.accuracy).toBe(0.93);
    // The six uniform configurations are among the points (W8A8 is the baseline).
    for (const key of ['8.8.8.8.8.8', '4.4.4.4.4.4', '2.2.2.4.4.4', '2.2.2.8.8.8'])
      expect(seen).toContain(key);
  });

  it('an evaluator error (cancel) propagates', async () => {
    let n = 0;
    const failing = mixedSearch({
      knobs,
      cost,
      target: 0.97,
      objective: 'bops',
      evaluate: async (a) => {
        if (++n > 3) throw new Error('cancelled');
        return stubAccuracy(a);
      },
    });
    await expect(failing).rejects.toThrow('cancelled');
  });
});
