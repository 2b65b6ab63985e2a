/**
 * QIntDepthwiseConv2D on WebGPU (NHWC, filter [kh, kw, cin, mult], oc = c·mult + m): taps row
 * then column, padding skipped, as ../cpu/QIntDepthwiseConv2D.ts.
 */
import type { Overflow } from '@/quant/intArith';
import { IntAccProgram } from './accProgram';
import { OUTPUT_COORDS, TAP_X, TAP_Y } from './QIntConv2DProgram';

export class QIntDepthwiseConv2DProgram extends IntAccProgram {
  constructor(numOut: number, overflow: Overflow) {
    super(numOut, overflow, 'depthwise');
  }

  protected body(): string {
    return `${OUTPUT_COORDS}
    let c = oc / uniforms.mult;
    for (var r = 0; r < uniforms.kH; r++) {
      let y = ${TAP_Y};
      if (y < 0 || y >= uniforms.inH) { continue; }
      for (var s = 0; s < uniforms.kW; s++) {
        let x = ${TAP_X};
        if (x < 0 || x >= uniforms.inW) { continue; }
        let xv = X[((b * uniforms.inH + y) * uniforms.inW + x) * uniforms.inC + c];
        let wv = W[(r * uniforms.kW + s) * uniforms.outC + oc];
        a = accAdd(a, (xv - uniforms.xZp) * (wv - wz));
      }
    }`;
  }
}
