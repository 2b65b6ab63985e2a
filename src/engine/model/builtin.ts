/**
 * The built-in model zoo: reads public/models/index.json (validated by zooIndex.ts's schema)
 * and turns its entries into the cards the UI shows, keeping each model's path for loading.
 */
import type { ByteSource } from '../data/digits';
import type { ModelCard } from '../events';
import { parseZooIndex, ZOO_INDEX_PATH } from './zooIndex';

export type ZooCardWithPath = ModelCard & { path: string };

export async function loadZooCards(source: ByteSource): Promise<ZooCardWithPath[]> {
  const index = parseZooIndex(JSON.parse(new TextDecoder().decode(await source(ZOO_INDEX_PATH))));
  return index.models.map((m) => ({
    id: m.id,
    title: m.title,
    purpose: m.purpose,
    dataset: m.dataset,
    params: m.params,
    macsPerImage: m.macsPerImage,
    fp32TestAccuracy: m.fp32TestAccuracy,
    testCount: m.testCount,
    layers: m.layers.map((l) => ({ name: l.name, type: l.type })),
    path: m.path,
  }));
}
