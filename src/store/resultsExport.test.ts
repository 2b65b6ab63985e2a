import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeConfig } from '@/config/codec';
import type { LayerReport, QuantResult } from '@/worker/api';
import { guardCell, parseCsv, toCsv, unguardCell } from './csv';
import { fakeQuantResult } from './fakeEngine';
import {
  parseResultsCsv,
  parseResultsJson,
  RESULTS_CSV_HEADER,
  resultsCsv,
  resultsJson,
  resultsRecord,
  shareLinkOf,
} from './resultsExport';

const LINK = 'v=1&model=cnn&n=200&w=4-sym-pc-mse&w.dense=fp32&a.conv1=6-asym-pt-minmax';
const PAGE = 'http://127.0.0.1:5173/?x=1#v=1&model=mlp';

function layer(node: string, patch: Partial<LayerReport> = {}): LayerReport {
  return {
    node,
    layer: node,
    type: 'conv2d',
    outputShape: [null, 14, 14, 16],
    weight: { choice: '4-sym-pc-mse', sqnrDb: 21.25, encoding: null },
    activation: { choice: '8-asym-pt-minmax', sqnrDb: 33.5, encoding: null },
    sensitivity: { accuracy: 0.975, outputSqnrDb: 20 },
    cumulative: { accuracy: 0.97, outputSqnrDb: 19 },
    integer: {
      maxAbsAccumulator: 1e6,
      bitsNeeded: 21,
      headroomBits: -3,
      overflowFraction: 0.01,
      outputsOverflowedFraction: 0.02,
      codeAgreement: null,
    },
    ...patch,
  };
}

function result(layers: LayerReport[]): QuantResult {
  const { config } = decodeConfig(LINK);
  return { ...fakeQuantResult(config, true), link: LINK, modelId: 'cnn', layers };
}

/** Names a person could upload that spreadsheets would run as formulas, or that break CSV. */
const HOSTILE = [
  '=HYPERLINK("http://x","y")',
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\tx',
  "'quoted",
  'a,b',
  'say "hi"',
  'two\r\nlines',
];

describe('results export', () => {
  const r = result([
    layer('conv1'),
    layer('dense', {
      type: 'dense',
      outputShape: [null, 10],
      weight: { choice: 'fp32', sqnrDb: Infinity, encoding: null },
      activation: null,
      sensitivity: null,
      cumulative: null,
      integer: null,
    }),
  ]);
  const rec = resultsRecord(r, PAGE);

  it('carries the run’s config, share link, accuracies and overrides', () => {
    expect(rec.shareLink).toBe(`http://127.0.0.1:5173/?x=1#${LINK}`);
    expect(rec.config.evalLimit).toBe(200);
    expect(rec.fp32Accuracy).toBe(0.75);
    expect(rec.layers[0]).toMatchObject({
      shape: '14×14×16',
      headroomBits: -3,
      overrideWeights: null,
      overrideActivations: '6-asym-pt-minmax',
    });
    expect(rec.layers[1]).toMatchObject({ wSqnrDb: 'Infinity', overrideWeights: 'fp32' });
  });

  it('JSON passes its schema and reads back equal (∞ kept as a string)', () => {
    const text = resultsJson(rec);
    expect(parseResultsJson(text)).toEqual(rec);
    const broken = JSON.parse(text) as { layers: { wSqnrDb: unknown }[] };
    if (broken.layers[0]) broken.layers[0].wSqnrDb = 'lots';
    expect(() => parseResultsJson(JSON.stringify(broken))).toThrow(/wSqnrDb/);
  });

  it('CSV: one rectangular table, CRLF, negative numbers stay numbers, round trip', () => {
    const csv = resultsCsv(rec);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(RESULTS_CSV_HEADER);
    expect(rows.every((row) => row.length === RESULTS_CSV_HEADER.length)).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(rows.length + 1);
    const headroom = RESULTS_CSV_HEADER.indexOf('headroom_bits');
    expect(rows[1]?.[headroom]).toBe('-3');
    expect(parseResultsCsv(csv)).toEqual(rec.layers);
  });

  it('a hostile layer name is quoted and guarded, never a formula, and round-trips', () => {
    const hostile = result(HOSTILE.map((name) => layer(name, { layer: name, type: name })));
    const h = resultsRecord(hostile, PAGE);
    const csv = resultsCsv(h);
    const rows = parseCsv(csv).slice(1);
    const col = RESULTS_CSV_HEADER.indexOf('layer');
    for (const row of rows) expect(row[col]).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows.map((row) => row[col])).toContain('\'=HYPERLINK("http://x","y")');
    expect(csv).toContain('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(parseResultsCsv(csv).map((l) => l.node)).toEqual(HOSTILE);
  });

  it('shareLinkOf drops the page’s own hash', () => {
    expect(shareLinkOf('http://h/app/#old', 'v=1&n=5')).toBe('http://h/app/#v=1&n=5');
  });
});

describe('csv', () => {
  it('guard and unguard are inverse for every string; guarded text starts safely', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(unguardCell(guardCell(s))).toBe(s);
        expect(guardCell(s)).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });

  it('parse(toCsv(rows)) gives the fields back for any text and numbers', () => {
    const cell = fc.oneof(fc.string(), fc.double({ noNaN: true }), fc.constant(null));
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { maxLength: 5 }),
        (rows) => {
          const back = parseCsv(toCsv(['a', 'b'], rows)).slice(1);
          const expected = rows.map((r) =>
            r.map((c) =>
              c === null
                ? ''
                : typeof c === 'number' && Number.isFinite(c)
                  ? String(c)
                  : guardCell(String(c)),
            ),
          );
          expect(back).toEqual(expected);
          back.flat().forEach((f, i) => {
            const c = rows.flat()[i];
            if (typeof c === 'number') expect(Number(unguardCell(f))).toBe(c === 0 ? 0 : c);
          });
        },
      ),
    );
  });
});
