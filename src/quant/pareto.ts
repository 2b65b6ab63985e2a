/**
 * The Pareto front of evaluated configurations: higher accuracy and lower cost are better; a
 * point is on the front when no other point is at least as good on both and better on one.
 */

/**
 * Indices of the front's points, cheapest first (accuracy then rises strictly along it). Of
 * points equal on both measures only the first is kept.
 * @example paretoIndices([0.9, 0.95, 0.9], [10, 20, 5]) -> [2, 1] (point 0 is dominated by 2)
 */
export function paretoIndices(accuracy: readonly number[], cost: readonly number[]): number[] {
  const order = accuracy
    .map((_, i) => i)
    .sort(
      (a, b) => (cost[a] ?? 0) - (cost[b] ?? 0) || (accuracy[b] ?? 0) - (accuracy[a] ?? 0) || a - b,
    );
  const front: number[] = [];
  let best = -Infinity;
  for (const i of order) {
    const acc = accuracy[i] ?? -Infinity;
    if (acc > best) {
      front.push(i);
      best = acc;
    }
  }
  return front;
}

/** The front of any points, by accessors; cheapest first. */
export function paretoFront<T>(
  points: readonly T[],
  accuracy: (p: T) => number,
  cost: (p: T) => number,
): T[] {
  return paretoIndices(points.map(accuracy), points.map(cost)).map((i) => points[i] as T);
}
