/** Seeded tensors for the quant/ tests (imported by *.test.ts only). */
import { mulberry32, randNormal } from './random';

/** n normal samples N(0, sigma²) as float32, from a seed. */
export function normalTensor(seed: number, n: number, sigma = 1): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => sigma * randNormal(rng));
}

/** n uniform samples on [lo, hi) as float32, from a seed. */
export function uniformTensor(seed: number, n: number, lo = -1, hi = 1): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * rng());
}

/** Σ(a - b)² in double. */
export function sumSquaredDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return s;
}
