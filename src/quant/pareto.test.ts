import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paretoIndices } from './pareto';

const dominates = (a: [number, number], b: [number, number]) =>
  a[0] >= b[0] && a[1] <= b[1] && (a[0] > b[0] || a[1] < b[1]);

describe('paretoIndices', () => {
  it('hand-worked: dominated and duplicate points are dropped, cheapest first', () => {
    const acc = [0.9, 0.95, 0.9, 0.97, 0.95, 0.8];
    const cost = [10, 20, 5, 40, 20, 1];
    // 0 is dominated by 2 (cheaper, same accuracy); 4 duplicates 1.
    expect(paretoIndices(acc, cost)).toEqual([5, 2, 1, 3]);
    expect(paretoIndices([], [])).toEqual([]);
  });

  it('property: no front point is dominated, every other point is dominated or equal to one', () => {
    const pt = fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }));
    fc.assert(
      fc.property(fc.array(pt, { maxLength: 40 }), (pts) => {
        const front = paretoIndices(
          pts.map((p) => p[0]),
          pts.map((p) => p[1]),
        );
        const on = new Set(front);
        for (const i of front)
          for (const p of pts) expect(dominates(p, pts[i] as [number, number])).toBe(false);
        pts.forEach((p, i) => {
          if (on.has(i)) return;
          const covered = front.some((j) => {
            const q = pts[j] as [number, number];
            return dominates(q, p) || (q[0] === p[0] && q[1] === p[1]);
          });
          expect(covered).toBe(true);
        });
        // Cheapest first and strictly rising accuracy.
        for (let k = 1; k < front.length; k++) {
          const a = pts[front[k - 1] as number] as [number, number];
          const b = pts[front[k] as number] as [number, number];
          expect(b[1]).toBeGreaterThan(a[1]);
          expect(b[0]).toBeGreaterThan(a[0]);
        }
      }),
    );
  });
});
