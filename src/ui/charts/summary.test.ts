import { describe, expect, it } from 'vitest';
import { listSummary, rangeSummary } from './summary';

describe('chart text alternatives', () => {
  it('lists each item’s value and names the unmeasured ones', () => {
    expect(
      listSummary('W-SQNR (dB)', [
        { label: 'input', value: null },
        { label: 'conv1', value: 22.61 },
        { label: 'conv2', value: 19.8 },
      ]),
    ).toBe('W-SQNR (dB): conv1 22.6, conv2 19.8; not measured: input');
    expect(listSummary('x', [])).toBe('x: none');
    expect(listSummary('acc', [{ label: 'a', value: 0.5 }], (v) => `${v * 100}%`)).toBe(
      'acc: a 50%',
    );
  });

  it('gives a series’ extent and last value, skipping gaps', () => {
    expect(rangeSummary('loss', [2, null, 0.5, undefined, 0.7])).toBe(
      'loss: 3 points from 0.5 to 2, last 0.7',
    );
    expect(rangeSummary('loss', [NaN])).toBe('loss: no points yet');
  });
});
