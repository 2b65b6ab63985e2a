/** Reads and writes public/models/index.json, keeping entries of models not retrained. */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PUBLIC_DIR } from '../../src/engine/data/nodeSource';
import {
  ZOO_INDEX_PATH,
  type ZooIndex,
  type ZooModel,
  parseZooIndex,
} from '../../src/engine/model/zooIndex';

export const INDEX_FILE = join(PUBLIC_DIR, ZOO_INDEX_PATH);

export async function readZooIndex(): Promise<ZooIndex | null> {
  if (!existsSync(INDEX_FILE)) return null;
  return parseZooIndex(JSON.parse(await readFile(INDEX_FILE, 'utf8')));
}

/** Replaces (or adds) entries by id, ordered as `order`; validates before writing. */
export async function writeZooIndex(
  entries: ZooModel[],
  order: readonly string[],
  backend: string,
): Promise<ZooIndex> {
  const previous = (await readZooIndex())?.models ?? [];
  const byId = new Map(previous.map((m) => [m.id, m]));
  for (const e of entries) byId.set(e.id, e);
  const rank = (id: string): number => {
    const i = order.indexOf(id);
    return i < 0 ? order.length : i;
  };
  const models = [...byId.values()].sort((a, b) => rank(a.id) - rank(b.id));
  const index = parseZooIndex({ version: 1, backend, models });
  await writeFile(INDEX_FILE, `${JSON.stringify(index, null, 2)}\n`);
  return index;
}
