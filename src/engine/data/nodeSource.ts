/** ByteSource over the local public/ folder, for Node scripts, the CLI and tests. */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ByteSource } from './digits';

export const PUBLIC_DIR = resolve(fileURLToPath(new URL('../../../public', import.meta.url)));

export function publicDirSource(dir: string = PUBLIC_DIR): ByteSource {
  return async (path) => new Uint8Array(await readFile(join(dir, path)));
}
