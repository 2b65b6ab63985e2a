import { describe, expect, it } from 'vitest';
import { decodeConfig, encodeConfig } from '@/config/codec';
import { LESSON_LINKS } from '@/config/lessons';
import { syncedStore } from './testHarness';

describe('lessons in the share link', () => {
  it('a bare lesson link opens the lesson with its own experiment, and the hash keeps both', () => {
    const { store, hash } = syncedStore('#v=1&lesson=3&present=1');
    expect(store.getState().lesson).toEqual({ lesson: '3', present: true });
    expect(encodeConfig(store.getState().config)).toBe(
      encodeConfig(decodeConfig(LESSON_LINKS['3']).config),
    );
    expect(hash()).toBe(`#${encodeConfig(store.getState().config)}&lesson=3&present=1`);
  });

  it('a lesson link with experiment keys keeps them (a teacher’s variant)', () => {
    const { store } = syncedStore('#v=1&model=mlp&n=16&lesson=1');
    expect(store.getState().lesson.lesson).toBe('1');
    expect(store.getState().config).toMatchObject({ model: 'mlp', evalLimit: 16 });
  });

  it('opening and closing a lesson, and presenter mode, rewrite the hash', () => {
    const { store, hash } = syncedStore('#v=1');
    store.getState().openLesson('12');
    expect(store.getState().config.model).toBe('spiral');
    expect(hash()).toContain('&lesson=12');
    store.getState().setPresenter(true);
    expect(hash()).toMatch(/&lesson=12&present=1$/);
    store.getState().openLesson(null);
    store.getState().setPresenter(false);
    expect(hash()).not.toMatch(/lesson=|present=/);
    expect(store.getState().config.model).toBe('spiral'); // closing keeps the experiment
  });

  it('an unknown lesson is a named notification; the rest of the link applies', () => {
    const { store, navigate } = syncedStore('#v=1');
    navigate('#v=1&model=mlp&lesson=13');
    const messages = store.getState().notifications.map((n) => n.message);
    expect(messages).toEqual([
      'Share link: "lesson=13" names no lesson; the lessons are 1..12. No lesson was opened.',
    ]);
    expect(store.getState().lesson.lesson).toBeNull();
    expect(store.getState().config.model).toBe('mlp');
  });
});
