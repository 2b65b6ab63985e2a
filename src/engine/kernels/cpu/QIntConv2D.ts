/**
 * QIntConv2D on the host backends (NHWC, filter [kh, kw, cin, cout]): each output is
 * bias ⊕ Σ (x − z_x)(w − z_w[oc]) over the taps in the attr's order, 'hwc' (kernel row, column,
 * channel innermost: the filter's memory order) or 'chw' (channel outermost). Taps in the zero
 * padding are skipped: their activation is real 0, so the product is exactly 0 and adding it
 * changes neither the register nor the statistics.
 */
import { STATS_WIDTH, writeStats } from '@/quant/intArith';
import type { AccLoop } from './accKernel';

export const conv2dLoop: AccLoop = (g, a, xz, acc, attrs) => {
  const { inH, inW, inC, kH, kW, outH, outW, outC } = g;
  const tap = (b: number, oy: number, ox: number, r: number, s: number): number => {
    const y = oy * g.strideH - g.padTop + r * g.dilH;
    const x = ox * g.strideW - g.padLeft + s * g.dilW;
    return y < 0 || y >= inH || x < 0 || x >= inW ? -1 : ((b * inH + y) * inW + x) * inC;
  };
  let o = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let oc = 0; oc < outC; oc++, o++) {
          const wz = a.wZeroPoint[oc] as number;
          acc.load(a.bias[oc] as number);
          const add = (xi: number, wi: number): void =>
            acc.add(((a.x[xi] as number) - xz) * ((a.w[wi] as number) - wz));
          if (attrs.order === 'chw') {
            for (let c = 0; c < inC; c++)
              for (let r = 0; r < kH; r++)
                for (let s = 0; s < kW; s++) {
                  const xi = tap(b, oy, ox, r, s);
                  if (xi >= 0) add(xi + c, ((r * kW + s) * inC + c) * outC + oc);
                }
          } else {
            for (let r = 0; r < kH; r++)
              for (let s = 0; s < kW; s++) {
                const xi = tap(b, oy, ox, r, s);
                if (xi < 0) continue;
                const wi = (r * kW + s) * inC * outC + oc;
                for (let c = 0; c < inC; c++) add(xi + c, wi + c * outC);
              }
          }
          a.acc[o] = acc.reg;
          writeStats(a.stats, o * STATS_WIDTH, acc);
        }
};
