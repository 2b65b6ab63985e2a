/** QIntDense on WebGPU: x [m, k] · w [k, n], k ascending (the host kernel's order). */
import type { Overflow } from '@/quant/intArith';
import { IntAccProgram } from './accProgram';

export class QIntDenseProgram extends IntAccProgram {
  constructor(numOut: number, overflow: Overflow) {
    super(numOut, overflow, 'dense');
  }

  protected body(): string {
    return `
    let i = index / uniforms.outC;
    let j = index % uniforms.outC;
    let wz = WZp[j];
    var a = accInit(Bias[j]);
    for (var t = 0; t < uniforms.inC; t++) {
      a = accAdd(a, (X[i * uniforms.inC + t] - uniforms.xZp) * (W[t * uniforms.outC + j] - wz));
    }`;
  }
}
