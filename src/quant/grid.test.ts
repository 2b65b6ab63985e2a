import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantError } from './errors';
import { bitWidth, intGrid, resolveGrid } from './grid';

describe('grid', () => {
  it('gives the paper grids (Eq. 4, 8b, 8c) and the narrow ranges', () => {
    expect(intGrid(8, false)).toEqual({ qmin: 0, qmax: 255 }); // 2^8 - 1
    expect(intGrid(8, true)).toEqual({ qmin: -128, qmax: 127 }); // -2^7 .. 2^7 - 1
    expect(intGrid(8, true, true)).toEqual({ qmin: -127, qmax: 127 });
    expect(intGrid(8, false, true)).toEqual({ qmin: 0, qmax: 254 });
    expect(intGrid(2, true)).toEqual({ qmin: -2, qmax: 1 });
    expect(intGrid(16, false)).toEqual({ qmin: 0, qmax: 65535 });
  });

  it('rejects bit-widths outside 2..16 with a message naming the value', () => {
    for (const bad of [1, 17, 8.5, NaN, -3]) {
      expect(() => bitWidth(bad)).toThrow(QuantError);
    }
    expect(() => bitWidth(17)).toThrow('Bit-width must be an integer from 2 to 16; got 17.');
    expect(() => intGrid(1, true)).toThrow('got 1');
  });

  it('defaults: asymmetric unsigned, symmetric and power-of-two signed', () => {
    expect(resolveGrid({ bits: 8, scheme: 'asymmetric' }).signed).toBe(false);
    expect(resolveGrid({ bits: 8, scheme: 'symmetric' }).signed).toBe(true);
    expect(resolveGrid({ bits: 8, scheme: 'power-of-two' }).signed).toBe(true);
    expect(resolveGrid({ bits: 4, scheme: 'symmetric', signed: false })).toMatchObject({
      qmin: 0,
      qmax: 15,
    });
  });

  it('always has 2^b codes (one fewer in narrow range)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 16 }), fc.boolean(), fc.boolean(), (b, s, narrow) => {
        const { qmin, qmax } = intGrid(b, s, narrow);
        expect(qmax - qmin + 1).toBe(2 ** b - (narrow ? 1 : 0));
      }),
    );
  });
});
