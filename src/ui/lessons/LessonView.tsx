import { useAppStore } from '@/store/hooks';
import { selectEngine } from '@/store/selectors';
import { ClipCurveChart } from './ClipCurveChart';
import { lessonHref } from './index';
import { TexMath } from './TexMath';
import type { Lesson } from './types';
import { useLessonEvidence } from './useLessonEvidence';

/** One lesson: text, formula, what to look at, the job it needs, "try this" and the live check. */
export function LessonView({ lesson }: { lesson: Lesson }) {
  const e = useLessonEvidence(lesson);
  const engine = useAppStore(selectEngine);
  const applyConfig = useAppStore((s) => s.applyConfig);
  const openLesson = useAppStore((s) => s.openLesson);
  const runDebug = useAppStore((s) => s.runDebug);
  const startQat = useAppStore((s) => s.startQat);
  const debugStatus = useAppStore((s) => s.debug.status);
  const qatStatus = useAppStore((s) => s.qat.status);
  const outcome = lesson.outcome(e);
  const ready = engine.status === 'ready';
  const jobBusy = lesson.job === 'debug' ? debugStatus === 'running' : qatStatus === 'running';
  const mark = outcome.state === 'pass' ? '✓' : outcome.state === 'fail' ? '✗' : '…';
  const weightBits = e.config.weights === 'fp32' ? 8 : e.config.weights.bits;

  return (
    <article className="lesson" data-testid="lesson" data-lesson={lesson.id}>
      <h3>
        {lesson.id}. {lesson.title} <span className="muted">(paper {lesson.paper})</span>
      </h3>
      <p>{lesson.explanation}</p>
      <TexMath tex={lesson.formula} />
      <p>
        <strong>Look at:</strong> {lesson.lookAt}
      </p>
      <p className="lesson-link">
        <a href={lessonHref(lesson.id)}>Link to this lesson</a>{' '}
        <button type="button" onClick={() => openLesson(lesson.id)}>
          Back to the lesson’s settings
        </button>
      </p>
      {lesson.job && (
        <p>
          <button
            type="button"
            disabled={!ready || jobBusy || !e.run}
            onClick={() => void (lesson.job === 'debug' ? runDebug() : startQat())}
          >
            {lesson.job === 'debug' ? 'Run the debugging flow' : 'Train (QAT)'}
          </button>
        </p>
      )}
      {lesson.id === '4' && e.weights && <ClipCurveChart weights={e.weights} bits={weightBits} />}
      <div className="lesson-try">
        <strong>Try this:</strong>{' '}
        <button type="button" onClick={() => applyConfig(lesson.tryThis.apply(e.config))}>
          {lesson.tryThis.label}
        </button>
        {e.run && e.tried && (
          <p data-testid="lesson-moved">What moved: {lesson.tryThis.moved(e.run, e.tried, e)}</p>
        )}
      </div>
      <p>
        <strong>Expected:</strong> {lesson.expected}
      </p>
      <p
        className={`lesson-outcome ${outcome.state}`}
        data-testid="lesson-outcome"
        data-state={outcome.state}
        data-values={outcome.state === 'pending' ? '' : JSON.stringify(outcome.values)}
      >
        <span aria-hidden="true">{mark}</span>{' '}
        {outcome.state === 'pending'
          ? `Not measured yet: ${outcome.waiting}.`
          : `${outcome.state === 'pass' ? 'Reached' : 'Not reached'} in this run: ${outcome.figures}`}
      </p>
    </article>
  );
}
