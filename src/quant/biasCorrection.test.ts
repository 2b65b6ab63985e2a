import { describe, expect, it } from 'vitest';
import { expectedActivation, kernelTimesMean, meanPerRow } from './biasCorrection';

const close = (a: ArrayLike<number>, b: number[]) =>
  b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 12));

describe('bias correction arithmetic (paper 3.3)', () => {
  it('dense: ε_o = Σ_i ΔW[i, o]·E[x_i]', () => {
    // ΔW = [[0.1, 0], [-0.2, 0.3]], E[x] = [1, 2]: ε = [0.1 − 0.4, 0.6]
    close(kernelTimesMean([0.1, 0, -0.2, 0.3], [2, 2], 'dense', [1, 2]), [-0.3, 0.6]);
  });

  it('conv2d sums over kernel positions and input channels', () => {
    // [kh=1, kw=2, in=2, out=1]: taps (0.5, -1) at position 0, (0.25, 2) at position 1
    // ε = 0.5·3 − 1·(−1) + 0.25·3 + 2·(−1) = 1.25
    close(kernelTimesMean([0.5, -1, 0.25, 2], [1, 2, 2, 1], 'conv2d', [3, -1]), [1.25]);
  });

  it('depthwise: output channel i·mult + j reads input channel i only', () => {
    // [kh=2, kw=1, in=2, mult=2]; position 0: [[1, 2], [3, 4]], position 1: [[-1, 0], [1, 1]]
    // ch0 = (1 − 1)·10 = 0, ch1 = (2 + 0)·10 = 20, ch2 = (3 + 1)·0.5 = 2, ch3 = (4 + 1)·0.5 = 2.5
    const delta = [1, 2, 3, 4, -1, 0, 1, 1];
    close(kernelTimesMean(delta, [2, 1, 2, 2], 'depthwiseConv2d', [10, 0.5]), [0, 20, 2, 2.5]);
  });

  it('maps flattened rows to channels and expected activations per channel', () => {
    close(meanPerRow([1, 2], 6), [1, 2, 1, 2, 1, 2]);
    expect(() => meanPerRow([1, 2], 5)).toThrow();
    const relu = expectedActivation([0, 1], [1, 2], 'relu');
    expect(relu[0]).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 14);
    close(expectedActivation([0.5, -2], [1, 3], 'linear'), [0.5, -2]);
    // ReLU6 with a CLE clip of 2 on channel 1: N(1, 0) clamps to 1; N(3, 0) to 2
    close(expectedActivation([3, 3], [1, 0], 'relu6', [6, 2]), [3, 2]);
  });

  it('rejects shapes and lengths that do not fit', () => {
    expect(() => kernelTimesMean([1, 2, 3], [2, 2], 'dense', [1, 1])).toThrow('expected 4');
    expect(() => kernelTimesMean([1, 2, 3, 4], [2, 2], 'dense', [1])).toThrow('expected 2');
    expect(() => kernelTimesMean([1], [1], 'conv2d', [1])).toThrow('rank 4');
    expect(() => expectedActivation([1, 2], [1], 'relu')).toThrow('expected 2');
  });
});
