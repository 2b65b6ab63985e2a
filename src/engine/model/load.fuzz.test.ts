/**
 * Hostile model files, fuzzed: the built-in mlp's and resnet's (Functional, with Add) model.json
 * and weights mutated at random
 * (any value in the topology or manifest replaced by huge, negative, wrong-typed or
 * prototype-polluting JSON; layers dropped or duplicated; weight files truncated, extended or
 * holding NaN/Inf). Every case must end in a loaded model or a PlaygroundError naming the
 * fault, within a second, leaving no tensors behind and Object.prototype untouched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PlaygroundError } from '@/config/errors';
import { mulberry32, type Rng } from '@/quant/random';
import { useNodeBackend } from '../backend/node';
import type { ByteSource } from '../data/digits';
import { importModel } from './graph';
import { loadLayersModelFrom } from './load';

/** A zoo model's files: the base every mutation starts from. */
function base(id: string) {
  const dir = join(process.cwd(), 'public/models', id);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
  const shard = (json['weightsManifest'] as { paths: string[] }[])[0]?.paths[0] ?? '';
  return { json, shard, weights: new Uint8Array(readFileSync(join(dir, shard))) };
}
type Base = ReturnType<typeof base>;

type Path = (string | number)[];
function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;

const HOSTILE: unknown[] = [
  1e9,
  -1,
  0,
  2 ** 53,
  1.5,
  'x',
  '',
  null,
  true,
  [],
  {},
  [1e9, 1e9],
  [-5, 3],
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__":{"polluted":true}}'),
  { constructor: { prototype: { polluted: true } } },
  'Conv3D',
  'LSTM',
  'Lambda',
  Array.from({ length: 50 }, () => [[[[]]]]),
];

function mutate(rng: Rng, b: Base): { json: string; weights: Uint8Array } {
  const json = structuredClone(b.json);
  let weights = b.weights.slice();
  const kind = Math.floor(rng() * 6);
  if (kind <= 2) {
    // Replace (or delete) any value of the JSON.
    const all = paths(json).filter((p) => p.length > 0);
    const p = pick(rng, all);
    let parent: unknown = json;
    for (const k of p.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
    const key = p[p.length - 1] as string | number;
    if (kind === 2 && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
    else (parent as Record<string | number, unknown>)[key] = structuredClone(pick(rng, HOSTILE));
  } else if (kind === 3) {
    // Drop or duplicate a layer.
    const layers = ((json['modelTopology'] as Record<string, Record<string, unknown>>)['config']?.[
      'layers'
    ] ?? []) as unknown[];
    const i = Math.floor(rng() * layers.length);
    if (rng() < 0.5) layers.splice(i, 1);
    else layers.splice(i, 0, structuredClone(layers[i]));
  } else if (kind === 4) {
    // Truncate or extend the weights.
    const n = Math.floor(rng() * b.weights.length);
    weights =
      rng() < 0.5
        ? weights.slice(0, n)
        : new Uint8Array([...weights, ...new Uint8Array(1 + (n % 64))]);
  } else {
    // NaN or ±Inf at a random float.
    const f = new Float32Array(weights.buffer);
    f[Math.floor(rng() * f.length)] = pick(rng, [NaN, Infinity, -Infinity]);
  }
  return { json: JSON.stringify(json), weights };
}

describe('model files under fuzzing', () => {
  beforeAll(async () => {
    await useNodeBackend('wasm');
  });

  it.each(['mlp', 'resnet'])(
    '%s: 300 mutated files each give a valid model or a named error, quickly, without leaks',
    async (id) => {
      const b = base(id);
      const shard = b.shard;
      const rng = mulberry32(Number(process.env['FUZZ_SEED'] ?? 20261201));
      const before = tf.memory().numTensors;
      const outcomes = { loaded: 0, refused: new Map<string, number>() };
      for (let i = 0; i < Number(process.env['FUZZ_CASES'] ?? 300); i++) {
        const files = mutate(rng, b);
        const source: ByteSource = async (p) => {
          if (p === 'model.json') return new TextEncoder().encode(files.json);
          if (p === shard) return files.weights.slice();
          throw new Error(`no file ${p}`);
        };
        const t = performance.now();
        if (process.env['FUZZ_LOG'])
          (await import('node:fs')).writeFileSync(process.env['FUZZ_LOG'], `${i}\n${files.json}`);
        try {
          const model = await loadLayersModelFrom(source, 'model.json');
          try {
            await importModel(model); // what the app does next; may refuse a layer by name
            outcomes.loaded++;
          } finally {
            model.dispose();
          }
        } catch (e) {
          if (!(e instanceof PlaygroundError))
            throw new Error(
              `case ${i}: not a named error: ${String(e)}\n${files.json.slice(0, 300)}`,
              { cause: e },
            );
          expect(e.message.length).toBeGreaterThan(10);
          outcomes.refused.set(e.code, (outcomes.refused.get(e.code) ?? 0) + 1);
        }
        expect(performance.now() - t, `case ${i}`).toBeLessThan(2000);
        expect(tf.memory().numTensors, `case ${i}`).toBe(before);
        expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      }
      console.log(
        `mutated ${id} files: ${outcomes.loaded} loaded, refused by code:`,
        Object.fromEntries(outcomes.refused),
      );
      expect(outcomes.refused.size).toBeGreaterThanOrEqual(4); // the fuzz reaches several gates
    },
  );
});
