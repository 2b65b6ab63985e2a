import { describe, expect, it } from 'vitest';
import { decodeConfig, decodeLessonKeys, encodeConfig, encodeLessonKeys } from './codec';
import { DEFAULT_CONFIG } from './defaults';
import { LESSON_IDS, LESSON_LINKS } from './lessons';

describe('lesson links', () => {
  it.each(LESSON_IDS)('lesson %s: its link decodes without problems and is canonical', (id) => {
    const { config, problems } = decodeConfig(LESSON_LINKS[id]);
    expect(problems).toEqual([]);
    // The link is the canonical encoding, except that it may name the default model.
    const canonical = new URLSearchParams(encodeConfig(config));
    const link = new URLSearchParams(LESSON_LINKS[id]);
    link.delete('model', DEFAULT_CONFIG.model);
    expect(link.toString()).toBe(canonical.toString());
    expect(config.backend).toBe('wasm');
  });
});

describe('lesson link keys (config/codec.ts)', () => {
  it('lesson= and present= decode, and a bare lesson link gets the lesson’s experiment', () => {
    expect(decodeLessonKeys('#v=1&lesson=3&present=1')).toEqual({
      keys: { lesson: '3', present: true },
      lessonLink: LESSON_LINKS['3'],
      problems: [],
    });
    const withConfig = decodeLessonKeys(`${LESSON_LINKS['3']}&lesson=3`);
    expect(withConfig.lessonLink).toBeNull();
    expect(encodeLessonKeys({ lesson: '12', present: true })).toBe('&lesson=12&present=1');
    expect(encodeLessonKeys({ lesson: null, present: false })).toBe('');
  });

  it('an unknown lesson is a named problem and opens none', () => {
    const { keys, problems } = decodeLessonKeys('v=1&lesson=99&present=yes');
    expect(keys).toEqual({ lesson: null, present: false });
    expect(problems.map((p) => p.code)).toEqual(['LESSON_UNKNOWN', 'LINK_INVALID']);
    expect(problems[0]?.message).toContain('"lesson=99" names no lesson; the lessons are 1..12');
    expect(problems[1]?.message).toContain('"present=yes"');
  });
});
