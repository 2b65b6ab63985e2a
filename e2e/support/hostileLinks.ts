/**
 * Seeded hostile share links for the browser (issue 9: 1,000 cases): random text, truncated and
 * mutated valid links, values of the wrong type, script injection in keys and values, huge
 * numbers, percent-encoding junk and prototype-pollution keys. The same seed gives the same list.
 * Valid backend values are left out on purpose: each one starts a new worker, and a thousand
 * of those would measure worker start-up, not the link gate.
 */

/** mulberry32, as src/quant/random.ts (e2e may not import src/ beyond config/codec.ts). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID = [
  'v=1&model=mlp&n=500&w=8-sym-pt-minmax&a=8-asym-pt-mse',
  'v=1&model=cnn&w=4-sym-pc-mse&a=8-asym-pt-pct-p99.9-nr&cal=256&seed=7',
  'v=1&model=mlp&int=16-sat-fixed&ptq=cle-ar5-bce&qat=2ep-b32-sgd0.01-fixed-t2000',
  'v=1&model=resnet&a.block1/add=fp32&w.conv1=2-pot-pt-minmax&n=100',
  'v=1&model=dwsep&w.dw1=fp32&n=all',
];
const KEYS = ['v', 'model', 'n', 'seed', 'w', 'a', 'cal', 'int', 'ptq', 'qat', 'w.conv1', 'a.dw1'];
/** Payloads that would run if any text reached innerHTML; each sets window.__pwned. */
export const INJECTIONS = [
  '<script>window.__pwned=1</script>',
  '"><img src=x onerror="window.__pwned=1">',
  "<svg onload='window.__pwned=1'>",
  '<iframe srcdoc="<script>parent.__pwned=1</script>">',
  'javascript:window.__pwned=1',
  '<img src=x onerror=alert(1)>',
];
const JUNK = [
  '1e309',
  '-1',
  '99999999999999999999999',
  'NaN',
  'Infinity',
  '0x10',
  '3.5',
  'true',
  '[]',
  '{}',
  '%00',
  '%E0%A4%A',
  '%',
  '__proto__',
  'constructor',
  'prototype',
  '',
  'x'.repeat(3000),
  '8-sym-pc-minmax-nr-nr',
  '0ep-b0-adam0',
  '17-sym-pt-minmax',
  'cle-cle',
  '33-wrap-fixed',
];

export function hostileLinks(count: number, seed = 9): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const randomText = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join('');
  const kinds: (() => string)[] = [
    // random printable text, sometimes with a valid version in front
    () => `${r() < 0.5 ? 'v=1&' : ''}${randomText(1 + Math.floor(r() * 80))}`,
    // a valid link cut anywhere, plus a bad key so the case always has something to name
    () => {
      const l = pick(VALID);
      return `${l.slice(0, Math.floor(r() * l.length))}&${pick(KEYS.slice(1))}=${pick(JUNK)}`;
    },
    // a valid link with one value of the wrong type
    () => `${pick(VALID)}&${pick(KEYS.slice(1))}=${pick(JUNK)}`,
    // script injection in a value or a key
    () => `v=1&${pick(KEYS.slice(1))}=${encodeURIComponent(pick(INJECTIONS))}`,
    () => `v=1&w.${encodeURIComponent(pick(INJECTIONS))}=8-sym-pt-minmax`,
    // huge values, many keys, duplicated keys
    () => `v=1&n=${'9'.repeat(1 + Math.floor(r() * 400))}&cal=${pick(JUNK)}`,
    () => Array.from({ length: 50 }, (_, i) => `${pick(KEYS)}=${i}`).join('&'),
    // prototype-pollution keys
    () => `v=1&__proto__=${pick(JUNK)}&constructor.prototype.x=1&w.__proto__=fp32`,
    // wrong or missing version
    () => `v=${pick(['0', '2', '999', '-1', 'x', ''])}&model=mlp`,
  ];
  const out: string[] = [];
  while (out.length < count) {
    const h = pick(kinds)();
    if (h !== out.at(-1)) out.push(h); // the same hash twice fires no hashchange
  }
  return out;
}
