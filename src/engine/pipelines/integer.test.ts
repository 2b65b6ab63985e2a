/**
 * The integer path on the built-in models (paper 2.1): with a 32-bit accumulator and float
 * requantization it reproduces the fake-quant simulation's codes layer by layer; narrowing the
 * accumulator on cnn makes overflow appear exactly below the width the statistics predict, and
 * accuracy falls with it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import { useNodeBackend } from '../backend/node';
import { publicDirSource } from '../data/nodeSource';
import { parseAimetFile } from '../export/aimetEncodings';
import type { QuantResult } from '../events';
import { EngineSession } from '../session';

let session: EngineSession;
const run = (hash: string): Promise<QuantResult> =>
  session.quantize(decodeConfig(hash).config, { sensitivity: false });

beforeAll(async () => {
  await useNodeBackend('wasm');
  session = new EngineSession(publicDirSource(), () => 'wasm');
});

describe('integer path vs fake quantization', () => {
  it.each(['cnn', 'dwsep', 'mlp'])(
    '%s W8A8, 32-bit accumulator, float requantization: codes agree, accuracy equal',
    async (model) => {
      const r = await run(`v=1&model=${model}&n=250&int=32-wrap-float`);
      const int = r.integer;
      expect(int).not.toBeNull();
      if (!int) return;
      expect(int.integerNodes.length).toBe(r.layers.filter((l) => l.weight).length);
      expect(int.codeAgreement.equalFraction).toBeGreaterThanOrEqual(0.999);
      expect(int.codeAgreement.maxStepDifference).toBeLessThanOrEqual(1);
      expect(Math.abs(int.accuracy - (r.quantAccuracy ?? 0))).toBeLessThanOrEqual(0.001);
      for (const l of r.layers.filter((x) => x.integer)) {
        expect(l.integer?.overflowFraction).toBe(0);
        expect(l.integer?.headroomBits).toBeGreaterThanOrEqual(0);
        expect(l.integer?.codeAgreement?.maxStepDifference).toBeLessThanOrEqual(1);
      }
    },
  );

  it('fixed-point requantization stays within one step of fake quant', async () => {
    const r = await run('v=1&model=cnn&n=100&int=32-wrap-fixed');
    expect(r.integer?.codeAgreement.maxStepDifference).toBeLessThanOrEqual(1);
    expect(r.integer?.codeAgreement.equalFraction).toBeGreaterThan(0.99);
  });
});

describe('narrowing the accumulator on cnn', () => {
  it.each(['wrap', 'sat'])(
    '%s: overflow appears below the predicted width and accuracy falls',
    async (mode) => {
      const widths = [32, 20, 19, 18, 17, 16, 14, 12];
      const link = (w: number) => `v=1&model=cnn&n=60&int=${w}-${mode}-float`;
      const base = await run(link(32));
      // The narrower runs reuse the 32-bit run's encodings (its AIMET file, read back), so they
      // skip the calibration pass and quantize the same inputs on the same grids by construction
      // rather than by a repeated, deterministic calibration.
      const aimet = session.aimetEncodings();
      if (!aimet) throw new Error('no encodings after the 32-bit run');
      const fixedEncodings = parseAimetFile(JSON.parse(JSON.stringify(aimet)));
      const results: QuantResult[] = [base];
      for (const w of widths.slice(1))
        results.push(
          await session.quantize(decodeConfig(link(w)).config, {
            sensitivity: false,
            fixedEncodings,
          }),
        );
      for (const r of results) expect(r.warnings).toEqual(base.warnings);
      const need = new Map(base.layers.map((l) => [l.node, l.integer?.bitsNeeded ?? 0]));
      const order = base.layers.filter((l) => l.integer).map((l) => l.node);
      const accuracy = results.map((r) => r.integer?.accuracy ?? NaN);
      for (const [i, r] of results.entries()) {
        const width = widths[i] as number;
        // Until a layer upstream overflows, each layer's inputs are those of the 32-bit run,
        // so its overflow is predicted exactly by the 32-bit run's bits needed.
        for (const node of order) {
          const stats = r.layers.find((l) => l.node === node)?.integer;
          expect(stats).toBeTruthy();
          const overflowed = (stats?.overflowFraction ?? 0) > 0;
          expect(overflowed, `${node} at ${width} bits`).toBe(width < (need.get(node) ?? 0));
          if (overflowed) break;
        }
        if (width >= Math.max(...need.values())) expect(accuracy[i]).toBe(accuracy[0]);
      }
      // Monotone: never more accurate with a narrower accumulator (half a point of slack for
      // the odd lucky wrap) until it is down near chance (10 classes), where noise rules; and
      // far worse at the narrowest.
      for (let i = 1; i < accuracy.length; i++)
        if ((accuracy[i - 1] as number) > 0.25)
          expect(accuracy[i] as number).toBeLessThanOrEqual((accuracy[i - 1] as number) + 0.005);
      expect(accuracy[accuracy.length - 1] as number).toBeLessThan((accuracy[0] as number) - 0.3);
      console.log(`cnn ${mode}: ${widths.map((w, i) => `${w}b ${accuracy[i]}`).join(', ')}`);
    },
    180_000,
  );
});
