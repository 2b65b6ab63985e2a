/**
 * Every colour literal in the UI's code is an Okabe-Ito colour (palette.ts, told apart with
 * every common colour-vision deficiency) or a neutral grey: a chart cannot slip in a red/green
 * pair that a colour-blind viewer cannot read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OKABE_ITO, PALETTE, REFERENCE_GREY } from './palette';

const UI = join(__dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const rgb = (hex: string) => {
  const h = hex.length === 4 ? [...hex.slice(1)].map((c) => c + c).join('') : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
};

/** Greys carry no hue, so no colour-vision deficiency confuses them with a series colour. */
const isGrey = (hex: string) => {
  const c = rgb(hex);
  return Math.max(...c) - Math.min(...c) <= 16;
};

describe('colours', () => {
  const allowed = new Set<string>(
    [...Object.values(OKABE_ITO), REFERENCE_GREY].map((c) => c.toLowerCase()),
  );

  it('the series palette is Okabe-Ito without its yellow', () => {
    expect(PALETTE).toEqual([
      '#0072B2',
      '#E69F00',
      '#009E73',
      '#D55E00',
      '#CC79A7',
      '#56B4E9',
      '#000000',
    ]);
  });

  it('every hex colour in src/ui is Okabe-Ito or grey', () => {
    const bad: string[] = [];
    const files = sources(UI);
    expect(files.length).toBeGreaterThan(20); // the scan sees the chart and control files
    for (const file of files) {
      if (file.endsWith('palette.ts')) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(
        /#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b/g,
      )) {
        const hex = m[0].toLowerCase();
        if (!allowed.has(hex) && !isGrey(hex)) bad.push(`${file.slice(UI.length + 1)}: ${hex}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the check would catch the old CLE chart colours', () => {
    expect(isGrey('#c0504d') || allowed.has('#c0504d')).toBe(false);
    expect(isGrey('#e3e5e8')).toBe(true);
  });
});
