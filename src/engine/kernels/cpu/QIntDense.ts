/**
 * QIntDense on the host backends: acc[i, j] = bias[j] ⊕ Σ_k (x[i, k] − z_x)(w[k, j] − z_w[j]),
 * k ascending, ⊕ the n-bit wrap/saturate step of quant/intArith.ts (docs/integer-kernels.md).
 */
import { STATS_WIDTH, writeStats } from '@/quant/intArith';
import type { AccLoop } from './accKernel';

export const denseLoop: AccLoop = (g, a, xz, acc) => {
  const { batch: m, inC: k, outC: n } = g;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const wz = a.wZeroPoint[j] as number;
      acc.load(a.bias[j] as number);
      for (let t = 0; t < k; t++)
        acc.add(((a.x[i * k + t] as number) - xz) * ((a.w[t * n + j] as number) - wz));
      const o = i * n + j;
      a.acc[o] = acc.reg;
      writeStats(a.stats, o * STATS_WIDTH, acc);
    }
  }
};
