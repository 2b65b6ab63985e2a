import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lsqBackwardLoop, lsqFakeQuant, lsqForwardLoop, lsqGrads } from './lsq';

const INT4 = { qmin: -8, qmax: 7 };

describe('learnable quantizer (paper 4.1-4.2)', () => {
  // tfjs-notes.md §3.3's case: loss Σ w_i·x̂_i with w = 1..8.
  const x = [-1.3, -0.2, 0.04, 0.26, 0.5, 0.9, 2.5, -3.0];
  const w = [1, 2, 3, 4, 5, 6, 7, 8];

  it('STE input gradient: 1 inside the grid, 0 where clamped (hand-worked)', () => {
    // x/s = -13, -2, 0.4, 2.6, 5, 9, 25, -30 → codes -13 (clamped), -2, 0, 3, 5, 9 (clamped), …
    const dx = x.map((v, i) => (w[i] ?? 0) * lsqGrads(v, 0.1, 0, INT4).dx);
    expect(dx).toEqual([0, 2, 3, 4, 5, 0, 0, 0]);
    expect(x.map((v) => lsqFakeQuant(v, 0.1, 0, INT4))).toEqual(
      [-0.8, -0.2, 0, 0.3, 0.5, 0.7, 0.7, -0.8].map((v) => expect.closeTo(v, 12)),
    );
  });

  it('scale gradient: ⌊x/s⌉ − x/s inside, qmin / qmax outside (hand-worked Σ = 19.4)', () => {
    const g = x.map((v) => lsqGrads(v, 0.1, 0, INT4).ds);
    [-8, 0, -0.4, 0.4, 0, 7, 7, -8].forEach((e, i) => expect(g[i]).toBeCloseTo(e, 10));
    // −8 + 0 − 1.2 + 1.6 + 0 + 42 + 49 − 64; times LSQ's 1/√(8·7) this is tfjs-notes' 2.59243.
    const ds = g.reduce((s, v, i) => s + v * (w[i] ?? 0), 0);
    expect(ds).toBeCloseTo(19.4, 10);
    expect(ds / Math.sqrt(8 * 7)).toBeCloseTo(2.5924, 4);
  });

  it('zero-point gradient: 0 inside, −s outside; the zero point is rounded inside', () => {
    const u8 = { qmin: 0, qmax: 15 };
    // z = 2.4 → ⌊z⌉ = 2: x = -0.1 → code 1 (inside); x = -0.5 → code -3 (below).
    expect(lsqGrads(-0.1, 0.1, 2.4, u8)).toEqual({ dx: 1, ds: expect.closeTo(0, 12), dz: 0 });
    expect(lsqGrads(-0.5, 0.1, 2.4, u8)).toEqual({ dx: 0, ds: -2, dz: -0.1 });
    expect(lsqGrads(2, 0.1, 2.4, u8)).toEqual({ dx: 0, ds: 13, dz: -0.1 });
    expect(lsqFakeQuant(-0.5, 0.1, 2.4, u8)).toBeCloseTo(-0.2, 12);
    expect(lsqFakeQuant(2, 0.1, 2.4, u8)).toBeCloseTo(1.3, 12);
  });

  it('gradients are the derivatives of the STE surrogate (⌊·⌉ → identity) by finite differences', () => {
    // The surrogate x̃ = s·[clamp(x/s + z; qmin, qmax) − z] is what the STE differentiates; off
    // the grid's edges it is smooth, and its central differences must equal the STE gradients.
    const surrogate = (v: number, s: number, z: number) =>
      s * (Math.min(INT4.qmax, Math.max(INT4.qmin, v / s + z)) - z);
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.05, max: 0.3, noNaN: true }),
        (v, s) => {
          const code = v / s;
          // Stay away from the clamp edges and from rounding ties, where the two differ by a step.
          fc.pre(Math.abs(code - INT4.qmin) > 0.6 && Math.abs(code - INT4.qmax) > 0.6);
          const h = 1e-6;
          const g = lsqGrads(v, s, 0, INT4);
          const fdx = (surrogate(v + h, s, 0) - surrogate(v - h, s, 0)) / (2 * h);
          expect(g.dx).toBeCloseTo(fdx, 5);
          const fdz = (surrogate(v, s, h) - surrogate(v, s, -h)) / (2 * h);
          expect(g.dz).toBeCloseTo(fdz, 5);
          // ∂/∂s of the surrogate is 0 inside; the STE scale gradient adds the rounding
          // residual ⌊x/s⌉ − x/s there (paper 3.2), and equals the surrogate's slope outside.
          const fds = (surrogate(v, s + h, 0) - surrogate(v, s - h, 0)) / (2 * h);
          const inside = g.dx === 1;
          expect(g.ds).toBeCloseTo(inside ? fds + (Math.round(code) - code) : fds, 4);
        },
      ),
    );
  });

  it('outside the grid the true function is smooth and matches the gradients exactly', () => {
    for (const v of [-1.3, 1.5, 2.5, -3.0]) {
      for (const s of [0.1, 0.13]) {
        const h = 1e-7;
        const g = lsqGrads(v, s, 0, INT4);
        const fds = (lsqFakeQuant(v, s + h, 0, INT4) - lsqFakeQuant(v, s - h, 0, INT4)) / (2 * h);
        expect(g.ds).toBeCloseTo(fds, 5);
        expect(g.dx).toBe(0);
      }
    }
  });

  it('the tensor loops: ties to even, per-channel parameters, and the summed gradients', () => {
    // v = x/s = 0.5, 1.5, -0.5, 2.5, 4.5e6 (past the fast path's 2^22), -30 (clamped).
    const x = Float32Array.of(0.25, 0.75, -0.25, 1.25, 2.25e6, -15);
    const out = new Float32Array(6);
    const grid = { qmin: -8, qmax: 7 };
    lsqForwardLoop(x, Float32Array.of(0.5), Float32Array.of(0), grid, out);
    expect(Array.from(out, (v) => v + 0)).toEqual([0, 1, 0, 1, 3.5, -4]);
    // Per channel (C = 2): element i uses parameter i % 2; z = 1 shifts channel 1's grid down by one.
    lsqForwardLoop(x, Float32Array.of(0.5, 1), Float32Array.of(0, 1), grid, out);
    expect(Array.from(out, (v) => v + 0)).toEqual([0, 1, 0, 1, 3.5, -9]); // -15 → qmin - z = -9
    // Backward against the scalar reference summed by hand.
    const dy = Float32Array.of(1, 2, 3, 4, 5, 6);
    const res = { dx: new Float32Array(6), dlogS: new Float32Array(1), dz: new Float32Array(1) };
    lsqBackwardLoop(dy, x, Float32Array.of(0.5), Float32Array.of(0), grid, true, res);
    let u = 0;
    let dz = 0;
    x.forEach((v, i) => {
      const g = lsqGrads(v, 0.5, 0, grid);
      expect(res.dx[i]).toBe((dy[i] ?? 0) * g.dx);
      u += (dy[i] ?? 0) * g.ds * 0.5;
      dz += (dy[i] ?? 0) * g.dz;
    });
    expect(res.dlogS[0]).toBeCloseTo(u, 5);
    expect(res.dz[0]).toBeCloseTo(dz, 5);
    lsqBackwardLoop(dy, x, Float32Array.of(0.5), Float32Array.of(0), grid, false, res);
    expect([res.dlogS[0], res.dz[0]]).toEqual([0, 0]);
  });
});
