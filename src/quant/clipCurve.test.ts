import { describe, expect, it } from 'vitest';
import { fakeQuant } from './affine';
import { bestClip, clipCurve, clipThresholds } from './clipCurve';
import { mse } from './metrics';
import { resolveEncodings } from './resolve';
import { mulberry32, randNormal } from './random';

describe('clipCurve (paper 2.2: clipping vs rounding error)', () => {
  it('splits the error as worked by hand', () => {
    // 2 bits, t = 2.25: s = t / 1.5 = 1.5, grid {−3, −1.5, 0, 1.5}. 0.75 → 0 (ties to even),
    // 1.5 → 1.5, 4 → 1.5 (clipped: 4 > 1.5).
    const [p] = clipCurve([0.75, 1.5, 4], 2, [2.25]);
    expect(p?.clipping).toBeCloseTo(6.25 / 3, 12);
    expect(p?.rounding).toBeCloseTo(0.5625 / 3, 12);
    expect(p?.total).toBeCloseTo(6.25 / 3 + 0.5625 / 3, 12);
  });

  it('at t = max|x| the error is the app’s symmetric min-max quantizer’s', () => {
    const rng = mulberry32(5);
    const x = Float32Array.from({ length: 3000 }, () => randNormal(rng));
    const spec = { bits: 4, scheme: 'symmetric', granularity: 'per-tensor' } as const;
    const enc = resolveEncodings(spec, { data: x, layout: { channels: 1, inner: 1 } });
    const at = clipCurve(x, 4, clipThresholds(x, 8)).at(-1);
    expect(at?.total).toBeCloseTo(mse(x, fakeQuant(x, enc)), 8); // float32 fake quant vs float64 here
  });

  it('near min-max almost nothing is clipped; a small threshold is all clipping', () => {
    const x = [-2, -0.7, 0.1, 0.4, 1.9];
    const t = clipThresholds(x, 10);
    expect(t.at(-1)).toBe(2);
    const curve = clipCurve(x, 4, t);
    // The top code sits half a step below t: only values in that last half step are clipped.
    expect(curve.at(-1)?.clipping).toBeLessThan(0.01 * (curve.at(-1)?.total ?? 0) + 1e-3);
    expect(curve[0]?.clipping).toBeGreaterThan(curve[0]?.rounding ?? Infinity);
  });

  it('on Gaussian weights at 4 bits the best threshold clips (MSE < min-max)', () => {
    const rng = mulberry32(7);
    const x = Float64Array.from({ length: 20000 }, () => randNormal(rng));
    const curve = clipCurve(x, 4, clipThresholds(x, 40));
    const best = bestClip(curve);
    const minMax = curve.at(-1);
    expect(best && minMax).toBeTruthy();
    // Max|x| of 20k normals is ~4σ; the MSE-optimal 4-bit clip is ~2.5σ (Banner et al.).
    expect((best?.threshold ?? 0) / (minMax?.threshold ?? 1)).toBeLessThan(0.8);
    expect(best?.total ?? Infinity).toBeLessThan(0.8 * (minMax?.total ?? 0));
  });

  it('rounding error at min-max is about s²/12 on uniform data', () => {
    const rand = mulberry32(3);
    const x = Float64Array.from({ length: 50000 }, () => rand() * 2 - 1);
    const [p] = clipCurve(x, 8, [1]);
    const s = 1 / 127.5;
    expect(p?.rounding).toBeCloseTo((s * s) / 12, 7);
  });
});
