/** AIMET encodings file out and back in; every hostile or broken file gives a named error. */
import { describe, expect, it } from 'vitest';
import { encodingsFromRanges } from '@/quant/encodings';
import { aimetFileFromEncodings, parseAimetFile } from './aimetEncodings';

const meta = { model: 'cnn', link: 'v=1', fp32Accuracy: 0.99, quantAccuracy: 0.98 };
const kernel = encodingsFromRanges(
  [
    { min: -1, max: 1 },
    { min: -0.5, max: 2 },
  ],
  { bits: 4, scheme: 'symmetric', narrowRange: true },
  { channels: 2, inner: 1 },
);
const act = encodingsFromRanges([{ min: 0, max: 6 }], { bits: 8, scheme: 'asymmetric' });
const file = () =>
  JSON.parse(
    JSON.stringify(
      aimetFileFromEncodings(new Map([['conv1', kernel]]), new Map([['conv1', act]]), meta),
    ),
  ) as Record<string, Record<string, Record<string, unknown>[]>>;

describe('aimetFileFromEncodings / parseAimetFile', () => {
  it('writes AIMET 0.6.1 with <node>.kernel params and reads the same encodings back', () => {
    const f = file();
    expect(Object.keys(f['param_encodings'] ?? {})).toEqual(['conv1.kernel']);
    expect(f['quantizer_args']).toMatchObject({ param_bitwidth: 4, activation_bitwidth: 8 });
    expect(f['playground']).toEqual(meta);
    const back = parseAimetFile(f);
    expect(back.weights).toEqual(new Map([['conv1', kernel]]));
    expect(back.activations).toEqual(new Map([['conv1', act]]));
  });

  const broken = (edit: (f: ReturnType<typeof file>) => unknown) => {
    const f = file();
    return edit(f) ?? f;
  };
  const entry = (f: ReturnType<typeof file>) =>
    f['param_encodings']?.['conv1.kernel']?.[1] as Record<string, unknown>;

  it.each<[string, unknown, string]>([
    ['null', null, 'the file'],
    ['an array', [], 'the file'],
    ['a string', 'encodings', 'the file'],
    ['another version', broken((f) => ({ ...f, version: '1.0.0' })), 'version'],
    ['no params', broken((f) => ({ ...f, param_encodings: undefined })), 'param_encodings'],
    [
      'a __proto__ key',
      JSON.parse(
        '{"version":"0.6.1","param_encodings":{},"activation_encodings":{"__proto__":[]}}',
      ),
      'activation_encodings["__proto__"]',
    ],
    [
      'a bias key',
      broken((f) => {
        f['param_encodings'] = { 'conv1.bias': [] };
      }),
      'param_encodings["conv1.bias"]',
    ],
    [
      'an empty list',
      broken((f) => {
        f['activation_encodings'] = { conv1: [] };
      }),
      'activation_encodings["conv1"]',
    ],
    [
      'a string scale',
      broken((f) => void (entry(f)['scale'] = '0.1')),
      'param_encodings["conv1.kernel"][1].scale',
    ],
    [
      'a negative scale',
      broken((f) => void (entry(f)['scale'] = -0.1)),
      'param_encodings["conv1.kernel"][1].scale',
    ],
    [
      'a NaN min',
      broken((f) => void (entry(f)['min'] = NaN)),
      'param_encodings["conv1.kernel"][1].min',
    ],
    [
      'a missing offset',
      broken((f) => void delete entry(f)['offset']),
      'param_encodings["conv1.kernel"][1].offset',
    ],
    [
      'a zero point off the grid',
      broken((f) => void (entry(f)['offset'] = 3)),
      'param_encodings["conv1.kernel"]: Option [1].offset = 3',
    ],
    [
      'min and max that do not fit the scale',
      broken((f) => void (entry(f)['max'] = 100)),
      'param_encodings["conv1.kernel"]: Option [1].max = 100',
    ],
  ])('%s', (_label, json, field) => {
    let error: unknown;
    try {
      parseAimetFile(json);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'PlaygroundError', code: 'ENCODINGS_FILE' });
    expect((error as Error).message).toContain(`Encodings file, ${field}`);
  });
});
