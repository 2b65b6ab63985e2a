/**
 * The standard normal distribution, for analytic bias correction (paper 3.3: BN's β, γ taken as
 * the mean and std of a normal pre-activation). erfc uses the Maclaurin-type series
 * erf(x) = 2/√π · e^{−x²} Σ 2ⁿx^{2n+1}/(1·3···(2n+1)) (all terms positive, no cancellation) below
 * 2.5 and the Laplace continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/…)))
 * above: both close to double precision (checked against known values in normal.test.ts).
 */

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_2PI = Math.sqrt(2 * Math.PI);

function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= (2 * x2) / (2 * n + 1);
    sum += term;
  }
  return (2 / SQRT_PI) * Math.exp(-x2) * sum;
}

/** Modified Lentz evaluation of the continued fraction, for x ≥ 2.5. */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = x + a / (Math.abs(c) < tiny ? tiny : c);
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

/**
 * Complementary error function 1 − erf(x), accurate in the tails.
 * @example erfc(3) ≈ 2.209049699858544e-5
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x > 27) return 0; // e^{−729} underflows
  return x < 2.5 ? 1 - erfSeries(x) : erfcFraction(x);
}

/** @example erf(1) ≈ 0.8427007929497149 */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (Math.abs(x) < 2.5) return erfSeries(x);
  return x > 0 ? 1 - erfc(x) : erfc(-x) - 1;
}

/** Standard normal density φ(z). @example normalPdf(0) = 1/√(2π) ≈ 0.3989 */
export function normalPdf(z: number): number {
  return Number.isFinite(z) ? Math.exp(-0.5 * z * z) / SQRT_2PI : 0;
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2). @example normalCdf(1.96) ≈ 0.9750021 */
export function normalCdf(z: number): number {
  if (z === Infinity) return 1;
  if (z === -Infinity) return 0;
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** P(a < Z < b) for a standard normal Z, without cancellation when both are in one tail. */
function massBetween(a: number, b: number): number {
  return a > 0 ? normalCdf(-a) - normalCdf(-b) : normalCdf(b) - normalCdf(a);
}

/**
 * E[clamp(X, lo, hi)] for X ~ N(μ, σ²) (|σ| is used; σ = 0 gives clamp(μ)):
 * lo·Φ(a) + hi·Φ(−b) + μ(Φ(b) − Φ(a)) + σ(φ(a) − φ(b)) with a = (lo − μ)/σ, b = (hi − μ)/σ.
 * With lo = 0, hi = ∞ this is the paper's E[ReLU(x)] = σφ(μ/σ) + μΦ(μ/σ) (Sec. 3.3).
 * @example clippedNormalMean(0, 1, 0) = 1/√(2π) ≈ 0.39894
 */
export function clippedNormalMean(
  mu: number,
  sigma: number,
  lo = -Infinity,
  hi = Infinity,
): number {
  if (lo > hi) return NaN;
  const s = Math.abs(sigma);
  if (s === 0 || !Number.isFinite(s)) return Math.min(Math.max(mu, lo), hi);
  const a = (lo - mu) / s;
  const b = (hi - mu) / s;
  const low = Number.isFinite(lo) ? lo * normalCdf(a) : 0;
  const high = Number.isFinite(hi) ? hi * normalCdf(-b) : 0;
  return low + high + mu * massBetween(a, b) + s * (normalPdf(a) - normalPdf(b));
}
