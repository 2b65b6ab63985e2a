/**
 * Config ⇄ share link (the part after `#`): short stable keys, enum values by name, a `v=`
 * version, only non-default values written (TensorFlow Playground's PROPS idea). Decoding is
 * the one gate for links: every bad value is reported by key and replaced by its default.
 * Full format in docs/share-link.md.
 */
import { DEFAULT_CONFIG } from './defaults';
import { type ErrorCode, playgroundError } from './errors';
import {
  BACKEND_REQUESTS,
  type ExperimentConfig,
  experimentConfigSchema,
  modelIdSchema,
} from './schema';

export const LINK_VERSION = 1;

interface Field<K extends keyof ExperimentConfig> {
  key: string;
  expected: string;
  parse(raw: string): ExperimentConfig[K] | undefined;
  format(value: ExperimentConfig[K]): string;
}

const intIn = (lo: number, hi: number) => (raw: string) => {
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= lo && n <= hi ? n : undefined;
};

/** The link's keys; order here is the order in the link. */
const FIELDS: { [K in keyof ExperimentConfig]: Field<K> } = {
  model: {
    key: 'model',
    expected: 'a model id such as cnn',
    parse: (raw) => (modelIdSchema.safeParse(raw).success ? raw : undefined),
    format: String,
  },
  backend: {
    key: 'backend',
    expected: BACKEND_REQUESTS.join(' | '),
    parse: (raw) => BACKEND_REQUESTS.find((b) => b === raw),
    format: String,
  },
  evalLimit: {
    key: 'n',
    expected: 'an image count from 1 to 100000, or all',
    parse: (raw) => (raw === 'all' ? null : intIn(1, 100_000)(raw)),
    format: (v) => (v === null ? 'all' : String(v)),
  },
  seed: {
    key: 'seed',
    expected: `an integer from 0 to ${2 ** 31 - 1}`,
    parse: intIn(0, 2 ** 31 - 1),
    format: String,
  },
};

export interface LinkProblem {
  code: ErrorCode;
  message: string;
}

export function encodeConfig(config: ExperimentConfig): string {
  const params = new URLSearchParams({ v: String(LINK_VERSION) });
  for (const name of Object.keys(FIELDS) as (keyof ExperimentConfig)[]) {
    const field = FIELDS[name] as Field<typeof name>;
    if (config[name] !== DEFAULT_CONFIG[name]) params.set(field.key, field.format(config[name]));
  }
  return params.toString();
}

/** Decodes a link's hash (with or without '#'); never throws. */
export function decodeConfig(hash: string): { config: ExperimentConfig; problems: LinkProblem[] } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: LinkProblem[] = [];
  const version = params.get('v');
  if (version !== null && version !== String(LINK_VERSION)) {
    const e = playgroundError('LINK_VERSION', { version: version.slice(0, 40) });
    return { config: { ...DEFAULT_CONFIG }, problems: [{ code: e.code, message: e.message }] };
  }
  const config: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const name of Object.keys(FIELDS) as (keyof ExperimentConfig)[]) {
    const field = FIELDS[name];
    const raw = params.get(field.key);
    if (raw === null) continue;
    const value = field.parse(raw);
    if (value === undefined) {
      const e = playgroundError('LINK_INVALID', {
        key: field.key,
        value: raw.slice(0, 40),
        expected: field.expected,
      });
      problems.push({ code: e.code, message: e.message });
    } else {
      config[name] = value;
    }
  }
  return { config: experimentConfigSchema.parse(config), problems };
}
