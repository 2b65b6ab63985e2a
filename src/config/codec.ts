/**
 * Config ⇄ share link (the part after `#`): short stable keys, enum values by name, a `v=`
 * version, only non-default values written (TensorFlow Playground's PROPS idea). Decoding is
 * the one gate for links: every bad value is reported by key and replaced by its default.
 * Full format in docs/share-link.md.
 */
import { DEFAULT_CONFIG } from './defaults';
import { type ErrorCode, playgroundError } from './errors';
import { formatHide, HIDE_GROUPS, parseHide } from './hide';
import { LESSON_IDS, LESSON_LINKS } from './lessons';
import {
  formatIntegerToken,
  formatPtqToken,
  formatQatToken,
  parseIntegerToken,
  parsePtqToken,
  parseQatToken,
} from './linkTokens';
import { formatQuantChoice, parseQuantChoice, QUANT_TOKEN_HELP } from './quantChoice';
import {
  BACKEND_REQUESTS,
  type ExperimentConfig,
  experimentConfigSchema,
  layerNameSchema,
  type LayerOverride,
  modelIdSchema,
} from './schema';
import { z } from 'zod';

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
  weights: {
    key: 'w',
    expected: QUANT_TOKEN_HELP,
    parse: parseQuantChoice,
    format: formatQuantChoice,
  },
  activations: {
    key: 'a',
    expected: QUANT_TOKEN_HELP,
    parse: parseQuantChoice,
    format: formatQuantChoice,
  },
  overrides: {
    // Written as one key per slot (`w.<layer>`, `a.<layer>`), see encodeOverrides.
    key: '',
    expected: '',
    parse: () => undefined,
    format: () => '',
  },
  hide: {
    // Written last, by encodeHide/decodeHide: unknown names are reported one by one.
    key: '',
    expected: '',
    parse: () => undefined,
    format: () => '',
  },
  integer: {
    key: 'int',
    expected: 'off, or <accumulator bits 8..32>-<wrap|sat>-<fixed|float>, e.g. 16-sat-fixed',
    parse: parseIntegerToken,
    format: formatIntegerToken,
  },
  ptq: {
    key: 'ptq',
    expected:
      'off, or steps joined by - in this order: cle, ba, ar<iterations 1..20000>, bce | bca (e.g. cle-ba-ar500-bce)',
    parse: parsePtqToken,
    format: formatPtqToken,
  },
  qat: {
    key: 'qat',
    expected:
      '<epochs>ep-b<batch>-<adam|sgd><learning rate>[-fixed][-keepbn][-t<images>], e.g. 3ep-b64-adam0.0002',
    parse: parseQatToken,
    format: formatQatToken,
  },
  calibration: {
    key: 'cal',
    expected: 'a calibration image count from 1 to 8000',
    parse: intIn(1, 8000),
    format: String,
  },
  seed: {
    key: 'seed',
    expected: `an integer from 0 to ${2 ** 31 - 1}`,
    parse: intIn(0, 2 ** 31 - 1),
    format: String,
  },
};

const SCALAR_FIELDS = (Object.keys(FIELDS) as (keyof ExperimentConfig)[]).filter(
  (k) => k !== 'overrides' && k !== 'hide',
);

/** `hide=<group>,<group>`: the known groups are kept, the unknown ones named in one problem. */
function decodeHide(params: URLSearchParams, problems: LinkProblem[]): ExperimentConfig['hide'] {
  const raw = params.get('hide');
  if (raw === null) return [];
  const { groups, unknown } = parseHide(raw);
  if (unknown.length) {
    const names = unknown.slice(0, 3).map((n) => n.slice(0, 40));
    const e = playgroundError('LINK_HIDE', {
      names: `${names.join(',')}${unknown.length > 3 ? ',…' : ''}`,
      known: HIDE_GROUPS.join(', '),
    });
    problems.push({ code: e.code, message: e.message });
  }
  return groups;
}

/** `w.<layer>=<token>` and `a.<layer>=<token>` keys into per-layer overrides. */
function decodeOverrides(
  params: URLSearchParams,
  report: (key: string, value: string, expected: string) => void,
): Record<string, LayerOverride> {
  const overrides: Record<string, LayerOverride> = {};
  for (const [key, raw] of params) {
    const m = /^([wa])\.(.*)$/.exec(key);
    if (!m) continue;
    const [, slot, layer = ''] = m;
    if (!layerNameSchema.safeParse(layer).success) {
      report(key, raw, 'a layer name of letters, digits, _ / -');
      continue;
    }
    const choice = parseQuantChoice(raw);
    if (choice === undefined) {
      report(key, raw, QUANT_TOKEN_HELP);
      continue;
    }
    const entry = (overrides[layer] ??= {});
    if (slot === 'w') entry.weights = choice;
    else entry.activations = choice;
  }
  return overrides;
}

export interface LinkProblem {
  code: ErrorCode;
  message: string;
}

export function encodeConfig(config: ExperimentConfig): string {
  const params = new URLSearchParams({ v: String(LINK_VERSION) });
  for (const name of SCALAR_FIELDS) {
    const field = FIELDS[name] as Field<typeof name>;
    const value = field.format(config[name]);
    if (value !== field.format(DEFAULT_CONFIG[name])) params.set(field.key, value);
  }
  for (const [layer, o] of Object.entries(config.overrides).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (o.weights) params.set(`w.${layer}`, formatQuantChoice(o.weights));
    if (o.activations) params.set(`a.${layer}`, formatQuantChoice(o.activations));
  }
  if (config.hide.length) params.set('hide', formatHide(config.hide));
  // Keep '/' in layer names and ',' between hidden groups readable.
  return params.toString().replace(/%2F/g, '/').replace(/%2C/g, ',');
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
  const report = (key: string, value: string, expected: string) => {
    const e = playgroundError('LINK_INVALID', {
      key: key.slice(0, 80),
      value: value.slice(0, 40),
      expected,
    });
    problems.push({ code: e.code, message: e.message });
  };
  for (const name of SCALAR_FIELDS) {
    const field = FIELDS[name];
    const raw = params.get(field.key);
    if (raw === null) continue;
    const value = field.parse(raw);
    if (value === undefined) report(field.key, raw, field.expected);
    else config[name] = value;
  }
  config['overrides'] = decodeOverrides(params, report);
  config['hide'] = decodeHide(params, problems);
  return { config: experimentConfigSchema.parse(config), problems };
}

/**
 * Page keys beside the experiment, outside ExperimentConfig (they never change a run): the
 * open lesson (`lesson=3`, docs/lessons.md) and presenter mode (`present=1`).
 */
export const lessonKeysSchema = z.object({
  lesson: z.enum(LESSON_IDS).nullable(),
  present: z.boolean(),
});
export type LessonKeys = z.infer<typeof lessonKeysSchema>;

/**
 * Decodes `lesson=` and `present=`; an unknown lesson is a named problem and opens none. A
 * link with a lesson and no experiment keys gets that lesson's own link (`lessonLink`).
 */
export function decodeLessonKeys(hash: string): {
  keys: LessonKeys;
  lessonLink: string | null;
  problems: LinkProblem[];
} {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const problems: LinkProblem[] = [];
  const rawLesson = params.get('lesson');
  const rawPresent = params.get('present');
  const lesson = LESSON_IDS.find((id) => id === rawLesson) ?? null;
  if (rawLesson !== null && lesson === null) {
    const e = playgroundError('LESSON_UNKNOWN', {
      id: rawLesson.slice(0, 40),
      known: `${LESSON_IDS[0]}..${LESSON_IDS[LESSON_IDS.length - 1]}`,
    });
    problems.push({ code: e.code, message: e.message });
  }
  if (rawPresent !== null && rawPresent !== '0' && rawPresent !== '1')
    problems.push(problem('present', rawPresent, '0 | 1'));
  const keys = lessonKeysSchema.parse({ lesson, present: rawPresent === '1' });
  const experimentKeys = [...params.keys()].filter((k) => !['v', 'lesson', 'present'].includes(k));
  const lessonLink = lesson !== null && experimentKeys.length === 0 ? LESSON_LINKS[lesson] : null;
  return { keys, lessonLink, problems };
}

/** `&lesson=3&present=1` (only what is set), to append to encodeConfig's hash. */
export function encodeLessonKeys(keys: LessonKeys): string {
  return `${keys.lesson === null ? '' : `&lesson=${keys.lesson}`}${keys.present ? '&present=1' : ''}`;
}

function problem(key: string, value: string, expected: string): LinkProblem {
  const e = playgroundError('LINK_INVALID', { key, value: value.slice(0, 40), expected });
  return { code: e.code, message: e.message };
}
