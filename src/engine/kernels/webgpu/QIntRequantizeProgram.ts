/**
 * QIntRequantize on WebGPU, bit for bit the functions of quant/intArith.ts:
 * - fixed point: gemmlowp SaturatingRoundingDoublingHighMul with the 64-bit product |a|·|b|
 *   built from 16-bit limbs in u32 (WGSL has no 64-bit integers), RoundingDivideByPOT, and a
 *   saturating left shift for shift > 0;
 * - float: f32(acc) formed as f32(acc >> 16)·65536 + f32(acc & 0xffff) (both parts exact, one
 *   correctly rounded add: the round-to-nearest-even of acc, as Math.fround), one f32 multiply,
 *   round() (ties to even), clamp, then the zero point is added as an integer.
 */
import { webgpu_util, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { RequantMode } from '../names';

const FIXED_POINT = `
  fn mulWide(a : u32, b : u32) -> vec2<u32> {
    let a0 = a & 0xffffu; let a1 = a >> 16u; let b0 = b & 0xffffu; let b1 = b >> 16u;
    let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
    let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
    return vec2<u32>(p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u),
                     (p00 & 0xffffu) | (mid << 16u));
  }
  fn srdhm(a : i32, b : i32) -> i32 {
    let minI = bitcast<i32>(0x80000000u);
    if (a == minI && b == minI) { return 2147483647; }
    let neg = (a < 0) != (b < 0);
    let m = mulWide(bitcast<u32>(abs(a)), bitcast<u32>(abs(b)));
    let nudge = select(0x40000000u, 0x3fffffffu, neg);
    let lo = m.y + nudge;
    let hi = m.x + select(0u, 1u, lo < nudge);
    let q = bitcast<i32>((hi << 1u) | (lo >> 31u));
    return select(q, -q, neg);
  }
  fn rdbp(x : i32, e : i32) -> i32 {
    let mask = i32((1u << u32(e)) - 1u);
    let threshold = (mask >> 1u) + select(0, 1, x < 0);
    return (x >> u32(e)) + select(0, 1, (x & mask) > threshold);
  }
  fn satShl(x : i32, e : i32) -> i32 {
    if (e <= 0) { return x; }
    let minI = bitcast<i32>(0x80000000u);
    if (x > (2147483647 >> u32(e))) { return 2147483647; }
    if (x < (minI >> u32(e))) { return minI; }
    return x << u32(e);
  }
  fn requant(v : i32, c : i32) -> i32 {
    let sh = Shift[c];
    return rdbp(srdhm(satShl(v, sh), Mult[c]), max(-sh, 0));
  }`;

const FLOAT = `
  fn requant(v : i32, c : i32) -> i32 {
    let fa = f32(v >> 16u) * 65536.0 + f32(v & 0xffff);
    let r = clamp(round(fa * Scale[c]), f32(uniforms.qmin - uniforms.zp),
                  f32(uniforms.qmax - uniforms.zp));
    return i32(r);
  }`;

export class QIntRequantizeProgram implements WebGPUProgram {
  variableNames: string[];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  uniforms = 'channels : i32, zp : i32, qmin : i32, qmax : i32,';

  constructor(
    size: number,
    private readonly mode: RequantMode,
  ) {
    this.variableNames = mode === 'float' ? ['Acc', 'Scale'] : ['Acc', 'Mult', 'Shift'];
    this.outputShape = [size];
    this.shaderKey = `qIntRequantize_${mode}`;
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(
      this.dispatchLayout,
      this.outputShape,
      this.workgroupSize,
    );
  }

  getUserCode(): string {
    return `
  ${this.mode === 'float' ? FLOAT : FIXED_POINT}
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let lo = uniforms.qmin - uniforms.zp;
    let v = clamp(requant(Acc[index], index % uniforms.channels), lo, uniforms.qmax - uniforms.zp);
    result[index] = v + uniforms.zp;
  }`;
  }
}
