import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLIC_DIR } from '../data/nodeSource';
import { ZOO_INDEX_PATH, parseZooIndex, type ZooIndex } from './zooIndex';

const raw = (): { models: Record<string, unknown>[] } & Record<string, unknown> =>
  JSON.parse(readFileSync(join(PUBLIC_DIR, ZOO_INDEX_PATH), 'utf8'));

describe('public/models/index.json', () => {
  const index: ZooIndex = parseZooIndex(raw());

  it('lists the five built-in models with their files present', () => {
    expect(index.models.map((m) => m.id)).toEqual(['mlp', 'cnn', 'dwsep', 'resnet', 'spiral']);
    for (const m of index.models) {
      const json = join(PUBLIC_DIR, m.path);
      expect(existsSync(json), m.path).toBe(true);
      const manifest = JSON.parse(readFileSync(json, 'utf8')) as {
        weightsManifest: { paths: string[] }[];
      };
      for (const p of manifest.weightsManifest.flatMap((g) => g.paths)) {
        expect(existsSync(join(json, '..', p)), p).toBe(true);
      }
    }
  });

  it('has totals that agree with its layer tables', () => {
    for (const m of index.models) {
      expect(
        m.layers.reduce((n, l) => n + l.params, 0),
        m.id,
      ).toBe(m.params);
      expect(
        m.layers.reduce((n, l) => n + l.macs, 0),
        m.id,
      ).toBe(m.macsPerImage);
      expect(m.layers.at(-1)?.outputShape, m.id).toEqual([m.dataset === 'spiral' ? 2 : 10]);
    }
  });

  it('meets the accuracy targets and the dwsep >10x folded range spread', () => {
    const acc = Object.fromEntries(index.models.map((m) => [m.id, m.fp32TestAccuracy]));
    expect(acc['mlp']).toBeGreaterThanOrEqual(0.965);
    for (const id of ['cnn', 'dwsep', 'resnet']) expect(acc[id], id).toBeGreaterThanOrEqual(0.98);
    expect(acc['spiral']).toBeGreaterThanOrEqual(0.95);
    const dwsep = index.models.find((m) => m.id === 'dwsep');
    expect(dwsep?.depthwiseRangeRatio?.length).toBeGreaterThanOrEqual(2);
    for (const r of dwsep?.depthwiseRangeRatio ?? []) expect(r.ratio, r.layer).toBeGreaterThan(10);
  });
});

describe('parseZooIndex', () => {
  it('rejects a duplicate id, naming the field', () => {
    const bad = raw();
    bad.models.push({ ...bad.models[0] });
    expect(() => parseZooIndex(bad)).toThrow(/models\.5\.id: duplicate id "mlp"/);
  });

  it('rejects an accuracy that is not testCorrect / testCount', () => {
    const bad = raw();
    bad.models[1] = { ...bad.models[1], fp32TestAccuracy: 0.5 };
    expect(() => parseZooIndex(bad)).toThrow(/models\.1\.fp32TestAccuracy/);
  });

  it('rejects a path outside models/ and an unknown dataset', () => {
    const badPath = raw();
    badPath.models[0] = { ...badPath.models[0], path: '../secret/model.json' };
    expect(() => parseZooIndex(badPath)).toThrow(/models\.0\.path/);
    const badData = raw();
    badData.models[0] = { ...badData.models[0], dataset: 'cifar' };
    expect(() => parseZooIndex(badData)).toThrow(/models\.0\.dataset/);
  });
});
