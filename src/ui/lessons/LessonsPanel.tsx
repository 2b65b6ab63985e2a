import { useEffect } from 'react';
import { useAppStore } from '@/store/hooks';
import { lessonById, LESSONS } from './index';
import { LessonView } from './LessonView';
import './lessons.css';

/**
 * Guided lessons that reproduce the white paper's findings (docs/lessons.md), and presenter
 * mode: larger type with the lesson beside the charts (a class on <body>, styled in lessons.css).
 */
export function LessonsPanel() {
  const { lesson, present } = useAppStore((s) => s.lesson);
  const openLesson = useAppStore((s) => s.openLesson);
  const setPresenter = useAppStore((s) => s.setPresenter);

  useEffect(() => {
    document.body.classList.toggle('presenter', present);
    return () => document.body.classList.remove('presenter');
  }, [present]);

  return (
    <section className="lessons" aria-label="Lessons">
      <h2>Lessons</h2>
      <div className="lesson-picker">
        <label>
          Lesson{' '}
          <select
            aria-label="Lesson"
            value={lesson ?? ''}
            onChange={(e) => {
              const id = LESSONS.find((l) => l.id === e.target.value)?.id ?? null;
              openLesson(id);
            }}
          >
            <option value="">(none)</option>
            {LESSONS.map((l) => (
              <option key={l.id} value={l.id}>
                {l.id}. {l.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={present}
            onChange={(e) => setPresenter(e.target.checked)}
          />{' '}
          Presenter mode
        </label>
      </div>
      {lesson !== null && <LessonView key={lesson} lesson={lessonById(lesson)} />}
    </section>
  );
}
