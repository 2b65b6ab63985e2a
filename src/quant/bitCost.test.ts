import { describe, expect, it } from 'vitest';
import { accumulatorBits, configCost, FP32_BITS, type CostLayer } from './bitCost';
import { bitsNeeded } from './intArith';

/** A cnn-like pair: conv 3×3×1→16 on 26×26 outputs, then dense 64→10. */
const layers: CostLayer[] = [
  { node: 'conv1', macs: 26 * 26 * 16 * 9, weights: 9 * 16, fanIn: 9, input: 'input' },
  { node: 'fc', macs: 640, weights: 640, fanIn: 64, input: 'conv1' },
];

describe('configCost', () => {
  it('W8A8 everywhere: size = Σ weights·8, BOPs = Σ MACs·64', () => {
    const c = configCost(layers, {
      weights: { conv1: 8, fc: 8 },
      activations: { input: 8, conv1: 8 },
    });
    // conv1: 97,344 MACs · 8 · 8 = 6,230,016; fc: 640 · 64 = 40,960.
    expect(c.bops).toBe(6_230_016 + 40_960);
    expect(c.sizeBits).toBe(144 * 8 + 640 * 8);
    // 8 + 8 + ⌈log2 9⌉ = 20; 8 + 8 + log2 64 = 22.
    expect(c.layers.map((l) => l.accumulatorBits)).toEqual([20, 22]);
    expect(c.maxAccumulatorBits).toBe(22);
  });

  it('mixed: each layer uses its own weight bits and the bits of the quantizer feeding it', () => {
    const c = configCost(layers, {
      weights: { conv1: 4, fc: 2 },
      activations: { input: 8, conv1: 4 },
    });
    expect(c.layers.map((l) => [l.weightBits, l.inputBits])).toEqual([
      [4, 8],
      [2, 4],
    ]);
    expect(c.bops).toBe(97_344 * 32 + 640 * 8);
    expect(c.sizeBits).toBe(144 * 4 + 640 * 2);
    expect(c.layers.map((l) => l.accumulatorBits)).toEqual([4 + 8 + 4, 2 + 4 + 6]);
  });

  it('a float slot counts 32 bits and has no integer accumulator', () => {
    const c = configCost(layers, { weights: { fc: 8 }, activations: { conv1: 8 } });
    expect(c.layers[0]).toMatchObject({ weightBits: FP32_BITS, inputBits: FP32_BITS });
    expect(c.layers[0]?.bops).toBe(97_344 * 32 * 32);
    expect(c.layers[0]?.sizeBits).toBe(144 * 32);
    expect(c.layers[0]?.accumulatorBits).toBeNull();
    expect(c.maxAccumulatorBits).toBe(22);
    expect(configCost(layers, { weights: {}, activations: {} }).maxAccumulatorBits).toBeNull();
  });
});

describe('accumulatorBits', () => {
  it('is b_w + b_a + ⌈log2 fan-in⌉', () => {
    expect(accumulatorBits(8, 8, 1)).toBe(16);
    expect(accumulatorBits(8, 8, 2)).toBe(17);
    expect(accumulatorBits(8, 8, 3)).toBe(18);
    expect(accumulatorBits(4, 8, 288)).toBe(4 + 8 + 9);
  });

  it('bounds the worst exact sum the integer path could measure (intArith.bitsNeeded)', () => {
    for (const [bw, ba, k] of [
      [8, 8, 9],
      [4, 8, 288],
      [2, 4, 1],
      [8, 4, 1000],
      [3, 5, 7],
    ] as const) {
      // Most negative weight times the largest unsigned code, K times (and the positive side).
      const lo = -(2 ** (bw - 1)) * (2 ** ba - 1) * k;
      const hi = (2 ** (bw - 1) - 1) * (2 ** ba - 1) * k;
      const need = Math.max(bitsNeeded(lo), bitsNeeded(hi));
      expect(need).toBeLessThanOrEqual(accumulatorBits(bw, ba, k));
      // Tight within one bit: the bound is not loose.
      expect(accumulatorBits(bw, ba, k) - need).toBeLessThanOrEqual(1);
    }
  });
});
