import { describe, expect, it } from 'vitest';
import { toAimetEncodings } from './aimet';
import { encodingsFromRanges } from './encodings';

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
