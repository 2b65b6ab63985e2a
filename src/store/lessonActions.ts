/**
 * The open lesson and presenter mode (docs/lessons.md): page state that travels in the share
 * link as `lesson=` / `present=` (config/codec.ts decodeLessonKeys) but never changes a run.
 * Opening a lesson applies its experiment (config/lessons.ts) like a pasted link.
 */
import { decodeConfig, type LessonKeys } from '@/config/codec';
import { LESSON_LINKS, type LessonId } from '@/config/lessons';
import type { AppActions, AppState, AppStore } from './types';

export const IDLE_LESSON: Pick<AppState, 'lesson'> = {
  lesson: { lesson: null, present: false },
};

export interface LessonContext {
  get(): AppStore;
  set(partial: Partial<AppState>): void;
}

export function createLessonActions(
  ctx: LessonContext,
): Pick<AppActions, 'openLesson' | 'setPresenter' | 'setLessonKeys'> {
  const { get, set } = ctx;
  return {
    openLesson: (id: LessonId | null) => {
      set({ lesson: { ...get().lesson, lesson: id } });
      if (id !== null) get().applyConfig(decodeConfig(LESSON_LINKS[id]).config);
    },
    setPresenter: (present) => set({ lesson: { ...get().lesson, present } }),
    setLessonKeys: (keys: LessonKeys) => {
      const now = get().lesson;
      if (now.lesson !== keys.lesson || now.present !== keys.present) set({ lesson: keys });
    },
  };
}
