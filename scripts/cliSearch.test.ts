import { describe, expect, it } from 'vitest';
import { searchOptionsFromFlags } from './cliSearch';

describe('search --flags', () => {
  it('defaults to the issue: budget 1, weights 2,4,8, activations 4,8, BOPs', () => {
    expect(searchOptionsFromFlags({})).toEqual({
      budget: 1,
      weightBits: [2, 4, 8],
      activationBits: [4, 8],
      objective: 'bops',
      exhaustiveLimit: 0,
    });
    expect(
      searchOptionsFromFlags({ budget: '0.5', objective: 'size', 'search-n': '1000' }),
    ).toMatchObject({
      budget: 0.5,
      objective: 'size',
      searchImages: 1000,
    });
  });

  it('names the bad flag and value', () => {
    expect(searchOptionsFromFlags({ wbits: '2,x' })).toMatch(/--wbits .* not "2,x"/);
    expect(searchOptionsFromFlags({ abits: '1' })).toMatch(/--abits/);
    expect(searchOptionsFromFlags({ budget: '-1' })).toMatch(/--budget .* not "-1"/);
    expect(searchOptionsFromFlags({ objective: 'latency' })).toMatch(/--objective/);
    expect(searchOptionsFromFlags({ 'search-n': '0' })).toMatch(/--search-n/);
  });
});
