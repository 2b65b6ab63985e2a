/**
 * QIntConv2D on WebGPU (NHWC, filter [kh, kw, cin, cout]): taps in 'hwc' order (row, column,
 * channel innermost) or 'chw' (channel outermost), padding taps skipped (their product is 0),
 * exactly as ../cpu/QIntConv2D.ts.
 */
import type { Overflow, SumOrder } from '@/quant/intArith';
import { IntAccProgram } from './accProgram';

/** Decodes index → (b, oy, ox, oc) and computes the input row/column of tap (r, s). */
export const OUTPUT_COORDS = `
    let oc = index % uniforms.outC;
    let pix = index / uniforms.outC;
    let ox = pix % uniforms.outW;
    let oy = (pix / uniforms.outW) % uniforms.outH;
    let b = pix / (uniforms.outW * uniforms.outH);
    let wz = WZp[oc];
    var a = accInit(Bias[oc]);`;
export const TAP_Y = 'oy * uniforms.strideH - uniforms.padTop + r * uniforms.dilH';
export const TAP_X = 'ox * uniforms.strideW - uniforms.padLeft + s * uniforms.dilW';

export class QIntConv2DProgram extends IntAccProgram {
  constructor(
    numOut: number,
    overflow: Overflow,
    private readonly order: SumOrder,
  ) {
    super(numOut, overflow, `conv2d_${order}`);
  }

  protected body(): string {
    const product = `(X[xb + c] - uniforms.xZp) *
          (W[((r * uniforms.kW + s) * uniforms.inC + c) * uniforms.outC + oc] - wz)`;
    const tap = (inner: string): string => `
      let y = ${TAP_Y};
      if (y < 0 || y >= uniforms.inH) { continue; }
      for (var s = 0; s < uniforms.kW; s++) {
        let x = ${TAP_X};
        if (x < 0 || x >= uniforms.inW) { continue; }
        let xb = ((b * uniforms.inH + y) * uniforms.inW + x) * uniforms.inC;
        ${inner}
      }`;
    const add = `a = accAdd(a, ${product});`;
    if (this.order === 'chw')
      return `${OUTPUT_COORDS}
    for (var c = 0; c < uniforms.inC; c++) {
      for (var r = 0; r < uniforms.kH; r++) {${tap(add)}
      }
    }`;
    return `${OUTPUT_COORDS}
    for (var r = 0; r < uniforms.kH; r++) {${tap(`for (var c = 0; c < uniforms.inC; c++) { ${add} }`)}
    }`;
  }
}
