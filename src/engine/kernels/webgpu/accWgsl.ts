/**
 * WGSL shared by the integer accumulate programs: one accumulator per output, stepped exactly
 * as quant/intArith.ts IntAccumulator (docs/integer-kernels.md), on raw `array<i32>` bindings
 * (the generated getters return f32, tfjs-notes.md §1.1):
 * - register: i32 adds wrap mod 2^32 (WGSL spec); 32-bit overflow of s = r + p is
 *   ((r ^ s) & (p ^ s)) < 0, and then the true sum lies beyond the range on p's side;
 * - wrap: extractBits(s, 0, n) sign-extends the low n bits, exact since 2^n divides 2^32;
 * - saturate: clamp to [−2^(n−1), 2^(n−1) − 1] after every add (or to p's side on overflow);
 * - exact sum for the statistics: 64-bit two's complement as (hi: i32, lo: u32) with carry.
 * n comes from a uniform (a shift by a non-constant never makes a shader-creation error).
 */
import type { Overflow } from '@/quant/intArith';

/** Words per output written by the accumulate programs: acc, then the STATS_WIDTH stats. */
export const ACC_RECORD = 6;

const FIT: Record<Overflow, string> = {
  wrap: `
  fn accFit(s : i32, ovf : bool, up : bool) -> vec2<i32> {
    let w = extractBits(s, 0u, uniforms.bits);
    return vec2<i32>(w, select(0, 1, ovf || w != s));
  }`,
  saturate: `
  fn accFit(s : i32, ovf : bool, up : bool) -> vec2<i32> {
    let hiL = i32((1u << (uniforms.bits - 1u)) - 1u);
    let loL = -hiL - 1;
    var t = clamp(s, loL, hiL);
    if (ovf) { t = select(loL, hiL, up); }
    return vec2<i32>(t, select(0, 1, ovf || t != s));
  }`,
};

/** Uniforms every accumulate program declares, in this order (see accUniformData). */
export const ACC_UNIFORMS =
  'numOut : i32, bits : u32, xZp : i32, inH : i32, inW : i32, inC : i32, kH : i32, kW : i32, ' +
  'mult : i32, outH : i32, outW : i32, outC : i32, strideH : i32, strideW : i32, dilH : i32, ' +
  'dilW : i32, padTop : i32, padLeft : i32,';

export function accWgsl(overflow: Overflow): string {
  return `
  struct Acc { reg : i32, hi : i32, lo : u32, minHi : i32, minLo : u32, maxHi : i32, maxLo : u32,
               events : i32, };
  ${FIT[overflow]}
  fn lt64(ah : i32, al : u32, bh : i32, bl : u32) -> bool {
    return ah < bh || (ah == bh && al < bl);
  }
  // The accumulator is loaded with the bias (white paper Eq. 1).
  fn accInit(bias : i32) -> Acc {
    var a : Acc;
    a.hi = select(0, -1, bias < 0);
    a.lo = bitcast<u32>(bias);
    a.minHi = a.hi; a.minLo = a.lo; a.maxHi = a.hi; a.maxLo = a.lo;
    let f = accFit(bias, false, false);
    a.reg = f.x;
    a.events = f.y;
    return a;
  }
  fn accAdd(a0 : Acc, p : i32) -> Acc {
    var a = a0;
    let pl = bitcast<u32>(p);
    let lo = a.lo + pl;
    a.hi = a.hi + select(0, -1, p < 0) + select(0, 1, lo < pl);
    a.lo = lo;
    if (lt64(a.hi, a.lo, a.minHi, a.minLo)) { a.minHi = a.hi; a.minLo = a.lo; }
    if (lt64(a.maxHi, a.maxLo, a.hi, a.lo)) { a.maxHi = a.hi; a.maxLo = a.lo; }
    let s = a.reg + p;
    let f = accFit(s, ((a.reg ^ s) & (p ^ s)) < 0, p > 0);
    a.reg = f.x;
    a.events = a.events + f.y;
    return a;
  }
  fn accWrite(o : i32, a : Acc) {
    let b = o * ${ACC_RECORD};
    result[b] = a.reg;
    result[b + 1] = a.minHi;
    result[b + 2] = bitcast<i32>(a.minLo);
    result[b + 3] = a.maxHi;
    result[b + 4] = bitcast<i32>(a.maxLo);
    result[b + 5] = a.events;
  }`;
}
