/**
 * Hostile share links, fuzzed (10,000 cases): random text, mutations of valid links (truncated,
 * characters replaced, keys duplicated, values swapped between keys, huge numbers, script
 * injection, percent-encoding junk, prototype-pollution keys). Every case must decode without
 * throwing into a config the schema accepts, each problem must name its key, decoding the
 * re-encoded config must give the same config with no problems, and nothing may leak onto
 * Object.prototype.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig } from './codec';
import { experimentConfigSchema } from './schema';

const VALID = [
  'v=1&model=dwsep&backend=wasm&n=500&w=8-sym-pt-minmax&w.dw1=fp32',
  'v=1&model=cnn&w=4-sym-pc-mse&a=8-asym-pt-pct-p99.9-nr&cal=256&seed=7',
  'v=1&int=16-sat-fixed&ptq=cle-ba-ar500-bce&qat=2ep-b32-sgd0.01-fixed-keepbn-t2000',
  'v=1&model=resnet&a.block1/add=fp32&w.conv1=2-pot-pt-minmax&n=all',
  'v=1&model=mlp&backend=wasm&hide=backend,seed,ptq,qat,upload,int,overrides',
];
const KEYS = [
  'v',
  'model',
  'backend',
  'n',
  'seed',
  'w',
  'a',
  'cal',
  'int',
  'ptq',
  'qat',
  'w.conv1',
  'a.dw1',
  'hide',
];
const NASTY = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  'javascript:alert(1)',
  '1e309',
  '-1',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '%00',
  '%E0%A4%A',
  '__proto__',
  'constructor',
  '',
  ' '.repeat(3),
  'x'.repeat(5000),
  '8-sym-pc-minmax-nr-nr',
  '0ep-b0-adam0',
];

const mutation = fc.oneof(
  // truncate anywhere
  fc.tuple(fc.constantFrom(...VALID), fc.nat()).map(([l, n]) => l.slice(0, n % (l.length + 1))),
  // replace one character
  fc
    .tuple(fc.constantFrom(...VALID), fc.nat(), fc.string({ minLength: 1, maxLength: 1 }))
    .map(([l, i, c]) => {
      const at = i % l.length;
      return l.slice(0, at) + c + l.slice(at + 1);
    }),
  // a key with a hostile or random value, appended or replacing
  fc
    .tuple(
      fc.constantFrom(...VALID),
      fc.constantFrom(...KEYS, '__proto__', 'constructor', 'w.__proto__', 'a.constructor'),
      fc.oneof(fc.constantFrom(...NASTY), fc.string(), fc.double().map(String)),
    )
    .map(([l, k, v]) => `${l}&${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
  // values swapped between keys
  fc.tuple(fc.constantFrom(...VALID), fc.constantFrom(...VALID)).map(([a, b]) => {
    const pa = new URLSearchParams(a);
    const vb = [...new URLSearchParams(b).values()];
    [...pa.keys()].forEach((k, i) => pa.set(k, vb[i % vb.length] ?? ''));
    return pa.toString();
  }),
  // pure junk, with and without a version
  fc.string({ maxLength: 300 }),
  fc.string({ maxLength: 300 }).map((s) => `v=1&${s}`),
  fc
    .array(fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 })), { maxLength: 30 })
    .map((kv) => `v=1&${kv.map(([k, v]) => `${k}=${v}`).join('&')}`),
);

describe('share links under fuzzing', () => {
  it('10,000 hostile links: never throw, schema-valid config, named problems, stable round trip', () => {
    fc.assert(
      fc.property(mutation, (link) => {
        const { config, problems } = decodeConfig(link);
        expect(experimentConfigSchema.safeParse(config).success).toBe(true);
        for (const p of problems) {
          expect(p.message.length).toBeLessThan(600); // values are cut, never echoed whole
          expect(['LINK_INVALID', 'LINK_VERSION', 'LINK_HIDE']).toContain(p.code);
          if (p.code === 'LINK_INVALID')
            expect(p.message).toMatch(/^Share link: ".*=.*" is not valid; expected /s);
          if (p.code === 'LINK_HIDE')
            expect(p.message).toMatch(/^Share link: "hide=.*" names no control group; /s);
        }
        const again = decodeConfig(encodeConfig(config));
        expect(again.problems).toEqual([]);
        expect(again.config).toEqual(config);
        expect(Object.prototype).not.toHaveProperty('polluted');
        expect(({} as Record<string, unknown>)['model']).toBeUndefined();
      }),
      { numRuns: 10_000, seed: 20261201 },
    );
  });
});
