/**
 * Deterministic stratified split of the `mnist` package's digits: every class keeps the
 * same train/test proportion, the exact totals are hit by largest remainder, and the
 * order inside each split is a seeded shuffle (so batches mix classes).
 */
import { mulberry32, shuffleInPlace } from '../src/quant/random';

export interface SplitPlan {
  /** Indices into the concatenated source (class 0 first, then class 1, ...). */
  train: number[];
  test: number[];
}

/** Test count per class so that they sum to `testTotal` (largest remainder). */
export function testCountsPerClass(classSizes: readonly number[], testTotal: number): number[] {
  const total = classSizes.reduce((s, n) => s + n, 0);
  const exact = classSizes.map((n) => (n * testTotal) / total);
  const counts = exact.map(Math.floor);
  let missing = testTotal - counts.reduce((s, n) => s + n, 0);
  const order = exact
    .map((e, i) => ({ i, frac: e - Math.floor(e) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
    missing--;
  }
  return counts;
}

export function stratifiedSplit(
  classSizes: readonly number[],
  testTotal: number,
  seed: number,
): SplitPlan {
  const rng = mulberry32(seed);
  const testCounts = testCountsPerClass(classSizes, testTotal);
  const train: number[] = [];
  const test: number[] = [];
  let offset = 0;
  classSizes.forEach((size, cls) => {
    const idx = shuffleInPlace(
      Array.from({ length: size }, (_, i) => offset + i),
      rng,
    );
    const nTest = testCounts[cls] ?? 0;
    test.push(...idx.slice(0, nTest));
    train.push(...idx.slice(nTest));
    offset += size;
  });
  return { train: shuffleInPlace(train, rng), test: shuffleInPlace(test, rng) };
}
