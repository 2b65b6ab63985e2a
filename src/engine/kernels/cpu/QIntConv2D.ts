/**
 * QIntConv2D on the host backends (NHWC, filter [kh, kw, cin, cout]): each output is
 * bias ⊕ Σ (x − z_x)(w − z_w[oc]) over the taps in the attr's order, 'hwc' (kernel row, column,
 * channel innermost: the filter's memory order) or 'chw' (channel outermost). Taps in the zero
 * padding are skipped: their activation is real 0, so the product is exactly 0 and adding it
 * changes neither the register nor the statistics.
 */
import { STATS_WIDTH, writeStats } from '@/quant/intArith';
import type { AccLoop } from './accKernel';

// The hot loop of the integer path: no closure per output (allocating two per output made it
// about twice as slow); the taps, their order and the accumulator steps are unchanged.
export const conv2dLoop: AccLoop = (g, a, xz, acc, attrs) => {
  const { inH, inW, inC, kH, kW, outH, outW, outC } = g;
  const { x: xs, w: ws } = a;
  const chw = attrs.order === 'chw';
  let o = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let oc = 0; oc < outC; oc++, o++) {
          const wz = a.wZeroPoint[oc] as number;
          acc.load(a.bias[oc] as number);
          if (chw) {
            for (let c = 0; c < inC; c++)
              for (let r = 0; r < kH; r++) {
                const y = oy * g.strideH - g.padTop + r * g.dilH;
                if (y < 0 || y >= inH) continue;
                for (let s = 0; s < kW; s++) {
                  const x = ox * g.strideW - g.padLeft + s * g.dilW;
                  if (x < 0 || x >= inW) continue;
                  const xi = ((b * inH + y) * inW + x) * inC + c;
                  acc.add(
                    ((xs[xi] as number) - xz) *
                      ((ws[((r * kW + s) * inC + c) * outC + oc] as number) - wz),
                  );
                }
              }
          } else {
            for (let r = 0; r < kH; r++) {
              const y = oy * g.strideH - g.padTop + r * g.dilH;
              if (y < 0 || y >= inH) continue;
              for (let s = 0; s < kW; s++) {
                const x = ox * g.strideW - g.padLeft + s * g.dilW;
                if (x < 0 || x >= inW) continue;
                const xi = ((b * inH + y) * inW + x) * inC;
                const wi = (r * kW + s) * inC * outC + oc;
                for (let c = 0; c < inC; c++)
                  acc.add(((xs[xi + c] as number) - xz) * ((ws[wi + c * outC] as number) - wz));
              }
            }
          }
          a.acc[o] = acc.reg;
          writeStats(a.stats, o * STATS_WIDTH, acc);
        }
};
