import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AimetEncoding, fromAimetEncodings, toAimetEncodings } from './aimet';
import { encodingsFromRanges } from './encodings';
import { SCHEMES } from './types';

describe('AIMET export', () => {
  it('writes offset = qmin - z: -z on unsigned grids, -128 for signed symmetric 8-bit', () => {
    const [asym] = toAimetEncodings(
      encodingsFromRanges([{ min: -1, max: 3 }], { bits: 8, scheme: 'asymmetric' }),
    );
    // s = 4/255, z = 64 -> offset -64; min = s·offset, max = s·(255 + offset)
    expect(asym).toEqual({
      bitwidth: 8,
      dtype: 'int',
      is_symmetric: 'False',
      scale: 0.01568627543747425,
      offset: -64,
      min: Math.fround(-64 * 0.01568627543747425),
      max: 2.9960784912109375,
    });
    const sym = toAimetEncodings(
      encodingsFromRanges(
        [
          { min: -1, max: 1 },
          { min: -2, max: 2 },
        ],
        { bits: 8, scheme: 'symmetric' },
        { channels: 2, inner: 1 },
      ),
    );
    expect(sym.map((e) => [e.offset, e.is_symmetric])).toEqual([
      [-128, 'True'],
      [-128, 'True'],
    ]);
    // AIMET reconstructs min = s·offset, max = s·(2^b - 1 + offset)
    for (const e of sym) {
      expect(e.min).toBeCloseTo(e.scale * e.offset, 6);
      expect(e.max).toBeCloseTo(e.scale * (255 + e.offset), 6);
    }
  });
});

const f32 = Math.fround;

const gridSpec = fc.record({
  bits: fc.integer({ min: 2, max: 16 }),
  scheme: fc.constantFrom(...SCHEMES),
  signed: fc.boolean(),
  narrowRange: fc.boolean(),
});
const range = fc
  .tuple(
    fc.float({ min: f32(-1e4), max: f32(1e4), noNaN: true }),
    fc.float({ min: f32(-1e4), max: f32(1e4), noNaN: true }),
  )
  .map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) }));

describe('AIMET import (fromAimetEncodings)', () => {
  it('inverts toAimetEncodings for every grid, per tensor and per channel', () => {
    fc.assert(
      fc.property(gridSpec, fc.array(range, { minLength: 1, maxLength: 6 }), (spec, ranges) => {
        const encs = encodingsFromRanges(ranges, spec, { channels: ranges.length, inner: 1 });
        const hint = { scheme: spec.scheme, signed: spec.signed };
        expect(fromAimetEncodings(toAimetEncodings(encs), hint)).toEqual(encs);
        // Without a hint the grid is inferred; only an asymmetric grid's signed codes and a
        // power-of-two label are lost, and they describe the same real grid.
        const inferred = fromAimetEncodings(toAimetEncodings(encs));
        if (spec.scheme === 'symmetric' || (spec.scheme === 'asymmetric' && !spec.signed))
          expect(inferred).toEqual(encs);
        expect(toAimetEncodings(inferred)).toEqual(toAimetEncodings(encs));
      }),
      { numRuns: 300 },
    );
  });

  it('reads the worked example back: 8-bit asymmetric, z = 64', () => {
    const e = fromAimetEncodings([
      {
        bitwidth: 8,
        dtype: 'int',
        is_symmetric: 'False',
        scale: 0.01568627543747425,
        offset: -64,
        min: -1.003921627998352,
        max: 2.9960784912109375,
      },
    ]);
    expect([e.qmin, e.qmax, e.zeroPoint[0], e.granularity, e.signed]).toEqual([
      0,
      255,
      64,
      'per-tensor',
      false,
    ]);
  });

  const good = toAimetEncodings(
    encodingsFromRanges(
      [
        { min: -1, max: 1 },
        { min: -2, max: 2 },
      ],
      { bits: 8, scheme: 'symmetric' },
      { channels: 2, inner: 1 },
    ),
  );
  const bad = (c: number, patch: Record<string, unknown>): AimetEncoding[] =>
    good.map((e, i) => (i === c ? ({ ...e, ...patch } as unknown as AimetEncoding) : e));

  it.each([
    [bad(0, { bitwidth: 1 }), '[0].bitwidth'],
    [bad(0, { bitwidth: 8.5 }), '[0].bitwidth'],
    [bad(1, { bitwidth: 4 }), '[1].bitwidth'],
    [bad(1, { is_symmetric: 'yes' }), '[1].is_symmetric'],
    [bad(0, { is_symmetric: 'maybe' }), '[0].is_symmetric'],
    [bad(1, { dtype: 'float' }), '[1].dtype'],
    [bad(1, { scale: -0.1 }), '[1].scale'],
    [bad(1, { scale: NaN }), '[1].scale'],
    [bad(0, { scale: 0 }), '[0].scale'],
    [bad(1, { scale: 1e-60 }), '[1].scale'],
    [bad(1, { offset: -127 }), '[1].offset'],
    [bad(1, { offset: -128.5 }), '[1].offset'],
    [bad(1, { min: 5 }), '[1].min'],
    [bad(1, { max: NaN }), '[1].max'],
    [bad(0, { max: 100 }), '[0].max'],
  ])('names the bad field: %#', (entries, field) => {
    expect(() => fromAimetEncodings(entries)).toThrow(field);
  });

  it('refuses an empty list, an asymmetric zero point off the grid, a non-power-of-two scale', () => {
    expect(() => fromAimetEncodings([])).toThrow('empty');
    const asym = toAimetEncodings(
      encodingsFromRanges([{ min: -1, max: 3 }], { bits: 4, scheme: 'asymmetric' }),
    );
    const off = asym.map((e) => ({ ...e, offset: 3 }));
    expect(() => fromAimetEncodings(off)).toThrow('[0].offset');
    expect(() => fromAimetEncodings(good, { scheme: 'power-of-two' })).toThrow('[0].scale');
    expect(() => fromAimetEncodings(good, { scheme: 'asymmetric' })).toThrow('[0].is_symmetric');
  });
});
