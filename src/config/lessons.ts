/**
 * The guided lessons' experiments as share links (docs/lessons.md): one per finding of the
 * white paper, each reproducible from its link alone. The lesson texts, formulas and outcome
 * checks live in ui/lessons/; this module holds only what the link codec must know.
 */

export const LESSON_IDS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;
export type LessonId = (typeof LESSON_IDS)[number];

export const isLessonId = (id: string): id is LessonId =>
  (LESSON_IDS as readonly string[]).includes(id);

/**
 * Each lesson's experiment (canonical hash, without `lesson=`). WASM and fixed seeds so the
 * measured outcome is the one docs/lessons.md records; small `n` and `cal` so a run takes
 * seconds.
 */
export const LESSON_LINKS: Record<LessonId, string> = {
  '1': 'v=1&model=mlp&backend=wasm&n=300&a=fp32&cal=256',
  '2': 'v=1&model=cnn&backend=wasm&n=300&a=8-sym-pt-minmax&cal=256',
  '3': 'v=1&model=dwsep&backend=wasm&n=300&w=8-sym-pt-minmax&cal=256',
  '4': 'v=1&model=cnn&backend=wasm&n=300&w=4-sym-pt-minmax&cal=256',
  '5': 'v=1&model=dwsep&backend=wasm&n=300&cal=256',
  '6': 'v=1&model=dwsep&backend=wasm&n=300&w=8-sym-pt-minmax&ptq=cle-ba&cal=256',
  '7': 'v=1&model=dwsep&backend=wasm&n=300&w=8-sym-pt-minmax&ptq=bce&cal=256',
  '8': 'v=1&model=cnn&backend=wasm&n=300&w=4-sym-pt-minmax&ptq=ar100&cal=256',
  '9': 'v=1&model=mlp&backend=wasm&n=300&w=4-sym-pt-minmax&a=4-asym-pt-minmax&qat=1ep-b32-adam0.001-t2000&cal=256',
  '10': 'v=1&model=cnn&backend=wasm&n=100&int=16-wrap-fixed&cal=256',
  '11': 'v=1&model=cnn&backend=wasm&n=300&cal=256&w.conv2=2-sym-pt-minmax',
  '12': 'v=1&model=spiral&backend=wasm&n=500',
};
