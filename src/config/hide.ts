/**
 * Control groups a teacher can hide through the share link (`hide=ptq,qat,seed`), like
 * TensorFlow Playground's `_hide`. Hidden controls are not rendered; the values they would edit
 * still come from the link, so a lesson can fix a setting and hide its control.
 */

/** Every group, in the order the link writes them; each names one block of controls. */
export const HIDE_GROUPS = [
  'zoo',
  'upload',
  'backend',
  'eval',
  'weights',
  'activations',
  'int',
  'ptq',
  'calibration',
  'seed',
  'overrides',
  'compare',
  'share',
  'sweep',
  'debug',
  'qat',
] as const;

export type HideGroup = (typeof HIDE_GROUPS)[number];

/** What each group hides (docs/share-link.md repeats this table). */
export const HIDE_GROUP_LABELS: Record<HideGroup, string> = {
  zoo: 'the model cards',
  upload: 'uploading your own model',
  backend: 'the backend picker',
  eval: 'the FP32 evaluation panel (test items, Evaluate FP32)',
  weights: 'the global weight quantizer',
  activations: 'the global activation quantizer',
  int: 'the integer path settings',
  ptq: 'the PTQ steps',
  calibration: 'the calibration image count',
  seed: 'the seed',
  overrides: 'the per-layer overrides in the layer table',
  compare: 'pinning a baseline to compare with',
  share: 'the copy-link button',
  sweep: 'the accuracy vs bit-width sweep',
  debug: 'the debugging flow',
  qat: 'quantization-aware training',
};

const KNOWN = new Set<string>(HIDE_GROUPS);
const isGroup = (name: string): name is HideGroup => KNOWN.has(name);

/** Deduplicated, in HIDE_GROUPS order: one set of groups has one link. */
export function canonicalHide(groups: readonly HideGroup[]): HideGroup[] {
  const set = new Set(groups);
  return HIDE_GROUPS.filter((g) => set.has(g));
}

/** @example formatHide(['qat', 'ptq']) -> 'ptq,qat' */
export function formatHide(groups: readonly HideGroup[]): string {
  return canonicalHide(groups).join(',');
}

/**
 * Splits a `hide=` value into the known groups (kept) and the unknown names (reported).
 * @example parseHide('qat,foo,ptq') -> { groups: ['ptq', 'qat'], unknown: ['foo'] }
 */
export function parseHide(raw: string): { groups: HideGroup[]; unknown: string[] } {
  const groups: HideGroup[] = [];
  const unknown: string[] = [];
  for (const name of raw.split(',')) {
    if (name === '') continue;
    if (isGroup(name)) groups.push(name);
    else if (!unknown.includes(name)) unknown.push(name);
  }
  return { groups: canonicalHide(groups), unknown };
}
