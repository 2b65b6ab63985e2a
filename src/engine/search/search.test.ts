/**
 * The search on a real model small enough to enumerate: the zoo's spiral MLP (3 dense layers,
 * weights {8, 4, 2} × activations {8, 4} at 4 activation slots: 432 assignments), on WASM.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { slotChoice } from '@/config/slotSpec';
import { paretoIndices } from '@/quant/pareto';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import type { SearchOptions, SearchResult } from '../events';
import { EngineSession } from '../session';

let session: EngineSession;
const config = decodeConfig('v=1&model=spiral&n=300&cal=200').config;
const options: SearchOptions = {
  budget: 1,
  weightBits: [8, 4, 2],
  activationBits: [8, 4],
  objective: 'bops',
};
let exhaustive: SearchResult;
let heuristic: SearchResult;

describe('mixed-precision search on spiral', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
    session = new EngineSession(publicDirSource(), () => 'wasm');
    exhaustive = await session.search.search(config, { ...options, exhaustiveLimit: 1000 });
    heuristic = await session.search.search(config, options);
  });

  it('enumerates all 432 assignments; its front is the front of every point', () => {
    expect(exhaustive.knobs).toHaveLength(7);
    expect(exhaustive.points).toHaveLength(3 ** 3 * 2 ** 4);
    const idx = paretoIndices(
      exhaustive.points.map((p) => p.accuracy),
      exhaustive.points.map((p) => p.cost.bops),
    );
    expect(exhaustive.frontBops).toEqual(idx.map((i) => exhaustive.points[i]?.key));
  });

  it("every point's share link decodes to a config whose slots have that point's bits", () => {
    for (const p of exhaustive.points) {
      const c = decodeConfig(p.link).config;
      const bits = exhaustive.knobs.map((id) => {
        const node = id.slice(2);
        const choice = slotChoice(
          c,
          { node, layer: node },
          id[0] === 'w' ? 'weights' : 'activations',
        );
        return choice === 'fp32' ? 'fp32' : choice.bits;
      });
      expect(bits.join('.')).toBe(p.key);
    }
    // A uniform point is written with the global quantizers only.
    const w4a4 = exhaustive.points.find((p) => p.key === '4.4.4.4.4.4.4');
    expect(w4a4?.link).toMatch(/&w=4-sym-pc-minmax&a=4-asym-pt-minmax/);
    expect(w4a4?.link).not.toMatch(/[wa]\./);
  });

  it('the heuristic evaluates a fraction of the space, agrees point by point, and its chosen point is no cheaper than the exact optimum', () => {
    expect(heuristic.points.length).toBeLessThan(exhaustive.points.length / 3);
    const exact = new Map(exhaustive.points.map((p) => [p.key, p]));
    for (const p of heuristic.points) {
      expect(p.accuracy).toBe(exact.get(p.key)?.accuracy);
      expect(p.cost).toEqual(exact.get(p.key)?.cost);
    }
    const target = heuristic.target ?? 1;
    const optimum = Math.min(
      ...exhaustive.points.filter((p) => p.accuracy >= target).map((p) => p.cost.bops),
    );
    const found = heuristic.points.find((p) => p.key === heuristic.searchChosen);
    expect(found?.accuracy).toBeGreaterThanOrEqual(target);
    expect(found?.cost.bops).toBeGreaterThanOrEqual(optimum);
    // Measured: the heuristic's proposal is the exact optimum on this model.
    expect(found?.cost.bops).toBe(optimum);
  });

  it('the chosen point meets the budget on the test split; its link reproduces it through the pipeline', () => {
    const chosen = heuristic.points.find((p) => p.key === heuristic.chosen);
    expect(chosen?.testAccuracy).not.toBeNull();
    expect(chosen?.testAccuracy ?? 0).toBeGreaterThanOrEqual((heuristic.fp32.test ?? 1) - 0.01);
    // runQuantEval on the decoded link gives the evaluator's accuracy exactly.
    expect(heuristic.pipelineAccuracy).toBe(chosen?.testAccuracy);
    const uniform = heuristic.points.find((p) => p.key === heuristic.bestUniform);
    expect(chosen?.cost.bops ?? Infinity).toBeLessThanOrEqual(uniform?.cost.bops ?? 0);
  });

  it('bad options are refused with a coded message naming the field', async () => {
    const bad = session.search.search(config, { ...options, weightBits: [] });
    await expect(bad).rejects.toMatchObject({ code: 'SEARCH_OPTIONS' });
    await expect(
      session.search.search(config, { ...options, activationBits: [1] }),
    ).rejects.toThrow(/activationBits is \[1\]/);
    await expect(session.search.search(config, { ...options, searchImages: 0 })).rejects.toThrow(
      /searchImages/,
    );
  });

  it('cancelSearch stops a running search with "cancelled"', async () => {
    let seen = 0;
    const run = session.search.search(config, options, () => {
      if (++seen === 3) session.search.cancelSearch();
    });
    await expect(run).rejects.toThrow('cancelled');
  });
});
