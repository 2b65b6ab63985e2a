/** All lessons in order (docs/lessons.md), and each one's experiment decoded from its link. */
import { decodeConfig, encodeConfig } from '@/config/codec';
import { DEFAULT_CONFIG } from '@/config/defaults';
import { LESSON_LINKS, type LessonId } from '@/config/lessons';
import type { ExperimentConfig } from '@/config/schema';
import { FUNDAMENTALS } from './fundamentals';
import { PIPELINE } from './pipeline';
import type { Lesson } from './types';

export const LESSONS: readonly Lesson[] = [...FUNDAMENTALS, ...PIPELINE];

export function lessonById(id: LessonId): Lesson {
  const l = LESSONS.find((x) => x.id === id);
  if (!l) throw new Error(`no lesson ${id}`); // LESSON_IDS and LESSONS are tested to match
  return l;
}

export const lessonConfig = (id: LessonId): ExperimentConfig =>
  decodeConfig(LESSON_LINKS[id]).config;

/** The share link a teacher hands out: the experiment and the open lesson. */
export const lessonHref = (id: LessonId) => `#${LESSON_LINKS[id]}&lesson=${id}`;

/**
 * What identifies a run for a lesson: its link without the QAT settings and hidden groups,
 * which never change a PTQ run's numbers.
 */
export function runKey(linkOrConfig: string | ExperimentConfig): string {
  const c = typeof linkOrConfig === 'string' ? decodeConfig(linkOrConfig).config : linkOrConfig;
  return encodeConfig({ ...c, qat: DEFAULT_CONFIG.qat, hide: [] });
}
