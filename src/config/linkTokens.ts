/**
 * The compound share-link tokens (`int=`, `ptq=`, `qat=`): each a canonical spelling, so one
 * experiment has one link. Used by codec.ts; format in docs/share-link.md.
 */
import { DEFAULT_CONFIG } from './defaults';
import { type IntegerConfig, type PtqConfig, type QatConfig, qatConfigSchema } from './schema';

/** `int=off` or `int=<bits>-<wrap|sat>-<fixed|float>`. */
export function formatIntegerToken(c: IntegerConfig): string {
  if (!c.enabled) return 'off';
  const o = c.overflow === 'wrap' ? 'wrap' : 'sat';
  return `${c.accumulatorBits}-${o}-${c.requantization === 'float' ? 'float' : 'fixed'}`;
}

export function parseIntegerToken(raw: string): IntegerConfig | undefined {
  if (raw === 'off') return { ...DEFAULT_CONFIG.integer, enabled: false };
  const m = /^(\d{1,2})-(wrap|sat)-(fixed|float)$/.exec(raw);
  const bits = Number(m?.[1]);
  if (!m || bits < 8 || bits > 32) return undefined;
  return {
    enabled: true,
    accumulatorBits: bits,
    overflow: m[2] === 'wrap' ? 'wrap' : 'saturate',
    requantization: m[3] === 'float' ? 'float' : 'fixed-point',
  };
}

/** `ptq=off` or e.g. `cle-ba-ar500-bce`: the enabled steps in pipeline order. */
export function formatPtqToken(c: PtqConfig): string {
  const steps = [
    c.cle ? 'cle' : '',
    c.biasAbsorption ? 'ba' : '',
    c.adaround > 0 ? `ar${c.adaround}` : '',
    c.biasCorrection === 'empirical' ? 'bce' : c.biasCorrection === 'analytic' ? 'bca' : '',
  ].filter(Boolean);
  return steps.length ? steps.join('-') : 'off';
}

export function parsePtqToken(raw: string): PtqConfig | undefined {
  if (raw === 'off') return { ...DEFAULT_CONFIG.ptq };
  const m = /^(cle)?-?(ba)?-?(?:ar(\d{1,5}))?-?(bce|bca)?$/.exec(raw);
  if (!m || raw.startsWith('-') || raw.endsWith('-') || raw.includes('--')) return undefined;
  const iterations = m[3] === undefined ? 0 : Number(m[3]);
  if (m[3] !== undefined && (iterations < 1 || iterations > 20_000)) return undefined;
  const c: PtqConfig = {
    cle: m[1] !== undefined,
    biasAbsorption: m[2] !== undefined,
    adaround: iterations,
    biasCorrection: m[4] === 'bce' ? 'empirical' : m[4] === 'bca' ? 'analytic' : 'off',
  };
  // Only the canonical spelling round-trips, so one experiment has one link.
  return formatPtqToken(c) === raw ? c : undefined;
}

/** e.g. `3ep-b64-adam0.0005-fixed-keepbn-t2000`; the optional parts only when not default. */
export function formatQatToken(c: QatConfig): string {
  return [
    `${c.epochs}ep`,
    `b${c.batchSize}`,
    `${c.optimizer}${String(c.learningRate)}`,
    c.learnRanges ? '' : 'fixed',
    c.bn === 'keep' ? 'keepbn' : '',
    c.trainLimit === null ? '' : `t${c.trainLimit}`,
  ]
    .filter(Boolean)
    .join('-');
}

export function parseQatToken(raw: string): QatConfig | undefined {
  const m =
    /^(\d{1,2})ep-b(\d{1,4})-(adam|sgd)(\d*\.?\d+)(-fixed)?(-keepbn)?(?:-t(\d{1,6}))?$/.exec(raw);
  if (!m) return undefined;
  const parsed = qatConfigSchema.safeParse({
    epochs: Number(m[1]),
    batchSize: Number(m[2]),
    optimizer: m[3],
    learningRate: Number(m[4]),
    learnRanges: m[5] === undefined,
    bn: m[6] === undefined ? 'fold' : 'keep',
    trainLimit: m[7] === undefined ? null : Number(m[7]),
  });
  // Only the canonical spelling round-trips, so one experiment has one link.
  return parsed.success && formatQatToken(parsed.data) === raw ? parsed.data : undefined;
}
