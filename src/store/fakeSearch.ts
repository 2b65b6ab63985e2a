/** The mixed-precision search part of the fake EngineApi (fakeEngine.ts): scripted points. */
import type { ExperimentConfig } from '@/config/schema';
import type { EngineApi, SearchPoint, SearchResult, SearchUpdate } from '@/worker/api';

const point = (w: number, a: number, accuracy: number): SearchPoint => ({
  key: `${w}.${a}`,
  phase: w === 8 && a === 8 ? 'baseline' : 'greedy',
  link: `v=1&model=cnn&w.conv1=${w}-sym-pc-minmax&a.conv1=${a}-asym-pt-minmax`,
  weights: { conv1: w },
  activations: { conv1: a },
  accuracy,
  testAccuracy: null,
  cost: { sizeBits: 100 * w, bops: 1000 * w * a, maxAccumulatorBits: w + a + 4 },
  uniform: { weights: w, activations: a },
});

/** The fake search's points in order: W8A8, W4A8, W4A4, W2A4 (accuracy falls with cost). */
export const FAKE_SEARCH_POINTS: SearchPoint[] = [
  point(8, 8, 0.75),
  point(4, 8, 0.75),
  point(4, 4, 0.7),
  point(2, 4, 0.5),
];

export interface FakeSearch {
  searches: ExperimentConfig[];
  /** Sends the pending search's next point; after the last one, resolves it. */
  searchStep(): void;
  api: Pick<EngineApi, 'mixedSearch' | 'cancelSearch'>;
}

export function createFakeSearch(): FakeSearch {
  let pending: {
    resolve: (r: SearchResult) => void;
    reject: (e: Error) => void;
    onUpdate: (u: SearchUpdate) => void;
    result: SearchResult;
  } | null = null;
  const fake: FakeSearch = {
    searches: [],
    searchStep: () => {
      if (!pending) return;
      const r = pending.result;
      const next = FAKE_SEARCH_POINTS[r.points.length];
      if (next) {
        r.points.push(structuredClone(next));
        r.frontBops = ['2.4', '4.4', '4.8'].filter((k) => r.points.some((p) => p.key === k));
        r.frontSize = r.frontBops;
        const total = FAKE_SEARCH_POINTS.length;
        pending.onUpdate({
          progress: { phase: 'Search', done: r.points.length, total },
          result: structuredClone(r),
        });
        return;
      }
      r.stage = 'done';
      r.chosen = '4.8';
      r.searchChosen = '4.8';
      pending.resolve(structuredClone(r));
      pending = null;
    },
    api: {
      mixedSearch: (config, options, onUpdate) =>
        new Promise<SearchResult>((resolve, reject) => {
          fake.searches.push(config);
          const result: SearchResult = {
            modelId: config.model,
            link: 'v=1&model=cnn',
            options,
            stage: 'searching',
            knobs: ['w:conv1', 'a:conv1'],
            searchCount: 4,
            testCount: 4,
            fp32: { search: 0.75, test: 0.75 },
            target: 0.74,
            points: [],
            frontBops: [],
            frontSize: [],
            searchChosen: null,
            chosen: null,
            bestUniform: null,
            pipelineAccuracy: null,
            sensitivity: [],
            warnings: [],
            millis: { prepare: 1, search: 1, confirm: 1 },
          };
          pending = { resolve, reject, onUpdate, result };
        }),
      cancelSearch: async () => {
        pending?.reject(new Error('cancelled'));
        pending = null;
      },
    },
  };
  return fake;
}
