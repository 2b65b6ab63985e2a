/**
 * One quantizer as the user picks it (bit-width, scheme, granularity, range method), and its
 * compact share-link token, e.g. `8-sym-pc-minmax` or `4-asym-pt-pct-p99.9-nr`.
 */
import { z } from 'zod';
import './zodCsp'; // no eval probe under the CSP (vite.config.ts)
import { GRANULARITIES, RANGE_METHODS, SCHEMES } from '@/quant/types';

export const MIN_BITS = 2;
export const MAX_BITS = 16;

export const quantChoiceSchema = z.object({
  bits: z.number().int().min(MIN_BITS).max(MAX_BITS),
  scheme: z.enum(SCHEMES),
  granularity: z.enum(GRANULARITIES),
  range: z.enum(RANGE_METHODS),
  /** Used when range = percentile (paper 3.1: e.g. 99.99 for activations). */
  percentile: z.number().gt(50).max(100),
  /** Narrow range drops the most negative code (-127..127 at 8 bits). */
  narrowRange: z.boolean(),
});

export type QuantChoice = z.infer<typeof quantChoiceSchema>;

/** A layer's quantizer, or "keep this one in float". */
export type QuantSlotChoice = QuantChoice | 'fp32';

const SCHEME_TOKENS: Record<QuantChoice['scheme'], string> = {
  asymmetric: 'asym',
  symmetric: 'sym',
  'power-of-two': 'pot',
};
const GRANULARITY_TOKENS: Record<QuantChoice['granularity'], string> = {
  'per-tensor': 'pt',
  'per-channel': 'pc',
};
const RANGE_TOKENS: Record<QuantChoice['range'], string> = {
  'min-max': 'minmax',
  'moving-average': 'ema',
  mse: 'mse',
  percentile: 'pct',
  'cross-entropy': 'ce',
  bn: 'bn',
};

const invert = <K extends string>(m: Record<K, string>) =>
  new Map(Object.entries(m).map(([k, v]) => [v as string, k as K]));
const SCHEME_BY_TOKEN = invert(SCHEME_TOKENS);
const GRANULARITY_BY_TOKEN = invert(GRANULARITY_TOKENS);
const RANGE_BY_TOKEN = invert(RANGE_TOKENS);

export const DEFAULT_PERCENTILE = 99.99;

export const QUANT_TOKEN_HELP =
  'bits-scheme-granularity-range[-pNN][-nr], e.g. 8-sym-pc-minmax ' +
  `(bits ${MIN_BITS}..${MAX_BITS}; scheme asym|sym|pot; granularity pt|pc; ` +
  'range minmax|ema|mse|pct|ce|bn), or fp32';

export function formatQuantChoice(c: QuantSlotChoice): string {
  if (c === 'fp32') return 'fp32';
  const parts = [
    String(c.bits),
    SCHEME_TOKENS[c.scheme],
    GRANULARITY_TOKENS[c.granularity],
    RANGE_TOKENS[c.range],
  ];
  if (c.range === 'percentile' || c.percentile !== DEFAULT_PERCENTILE)
    parts.push(`p${c.percentile}`);
  if (c.narrowRange) parts.push('nr');
  return parts.join('-');
}

/** Parses a token; undefined when any part is invalid. */
export function parseQuantChoice(token: string): QuantSlotChoice | undefined {
  if (token === 'fp32') return 'fp32';
  const [bits, scheme, granularity, range, ...rest] = token.split('-');
  if (!bits || !/^\d{1,2}$/.test(bits)) return undefined;
  let percentile = DEFAULT_PERCENTILE;
  let narrowRange = false;
  for (const extra of rest) {
    if (extra === 'nr' && !narrowRange) narrowRange = true;
    else if (/^p\d{2,3}(\.\d{1,6})?$/.test(extra)) percentile = Number(extra.slice(1));
    else return undefined;
  }
  const candidate = {
    bits: Number(bits),
    scheme: SCHEME_BY_TOKEN.get(scheme ?? ''),
    granularity: GRANULARITY_BY_TOKEN.get(granularity ?? ''),
    range: RANGE_BY_TOKEN.get(range ?? ''),
    percentile,
    narrowRange,
  };
  const parsed = quantChoiceSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}
