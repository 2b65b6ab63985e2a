/**
 * QIntDepthwiseConv2D on the host backends (NHWC, filter [kh, kw, cin, mult], output channel
 * oc = c·mult + m as in TF): bias ⊕ Σ_{r, s} (x[.., c] − z_x)(w[r, s, c, m] − z_w[oc]), kernel
 * row then column. Padding taps are skipped (their product is exactly 0).
 */
import { STATS_WIDTH, writeStats } from '@/quant/intArith';
import type { AccLoop } from './accKernel';

export const depthwiseLoop: AccLoop = (g, a, xz, acc) => {
  const { inH, inW, inC, kH, kW, mult, outH, outW, outC } = g;
  let o = 0;
  for (let b = 0; b < g.batch; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let oc = 0; oc < outC; oc++, o++) {
          const c = Math.floor(oc / mult);
          const wz = a.wZeroPoint[oc] as number;
          acc.load(a.bias[oc] as number);
          for (let r = 0; r < kH; r++) {
            const y = oy * g.strideH - g.padTop + r * g.dilH;
            if (y < 0 || y >= inH) continue;
            for (let s = 0; s < kW; s++) {
              const x = ox * g.strideW - g.padLeft + s * g.dilW;
              if (x < 0 || x >= inW) continue;
              const xv = a.x[((b * inH + y) * inW + x) * inC + c] as number;
              const wv = a.w[(r * kW + s) * outC + oc] as number;
              acc.add((xv - xz) * (wv - wz));
            }
          }
          a.acc[o] = acc.reg;
          writeStats(a.stats, o * STATS_WIDTH, acc);
        }
};
