/**
 * A finished quantization run as a file a person keeps: its config and share link, FP32 and
 * quantized accuracy, and the per-layer table (name, type, shape, W-SQNR, A-SQNR, sensitivity,
 * accumulator headroom, overrides), as JSON (validated by `resultsFileSchema`) or as one
 * rectangular CSV table (one row per layer, the run's figures repeated on each, csv.ts rules).
 * Pure: the UI hands in the result, the run's config and the page URL.
 */
import { z } from 'zod';
import { decodeConfig } from '@/config/codec';
import { formatQuantChoice } from '@/config/quantChoice';
import { experimentConfigSchema, type ExperimentConfig } from '@/config/schema';
import type { QuantResult } from '@/worker/api';
import { type CsvCell, numberCell, parseCsv, toCsv, unguardCell } from './csv';

export const RESULTS_FORMAT = 'quantization-playground-results';

/** dB or accuracy: JSON has no ±Infinity (an exact copy has SQNR ∞), so those are strings. */
const measured = z.union([z.number(), z.literal('Infinity'), z.literal('-Infinity'), z.null()]);
type Measured = z.infer<typeof measured>;

const layerRowSchema = z.object({
  node: z.string(),
  layer: z.string(),
  type: z.string(),
  /** Output shape without the batch axis, e.g. "14×14×16". */
  shape: z.string(),
  weights: z.string().nullable(),
  wSqnrDb: measured,
  activations: z.string().nullable(),
  aSqnrDb: measured,
  /** Accuracy with only this layer quantized / with layers 1..this one quantized. */
  sensitivity: measured,
  cumulative: measured,
  /** Integer path: accumulator bits needed and headroom (bits; negative = overflow). */
  accBitsNeeded: z.number().int().nullable(),
  headroomBits: z.number().int().nullable(),
  /** This layer's overrides in the config (share-link tokens), empty when none. */
  overrideWeights: z.string().nullable(),
  overrideActivations: z.string().nullable(),
});

export type ResultsLayerRow = z.infer<typeof layerRowSchema>;

export const resultsFileSchema = z.object({
  format: z.literal(RESULTS_FORMAT),
  version: z.literal(1),
  model: z.string(),
  backend: z.string(),
  /** The run's share link (the page URL with the run's hash). */
  shareLink: z.string(),
  config: experimentConfigSchema,
  count: z.number().int().nonnegative(),
  fp32Accuracy: measured,
  quantAccuracy: measured,
  outputSqnrDb: measured,
  integerAccuracy: measured,
  layers: z.array(layerRowSchema),
});

export type ResultsFile = z.infer<typeof resultsFileSchema>;

const toMeasured = (x: number | null | undefined): Measured => {
  if (x === null || x === undefined || Number.isNaN(x)) return null;
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return x;
};

/** The share link of a run: the page URL (without its hash) + '#' + the run's link. */
export function shareLinkOf(pageUrl: string, link: string): string {
  const u = new URL(pageUrl);
  u.hash = '';
  return `${u.toString().replace(/#$/, '')}#${link}`;
}

/** The run as a record; its config is the one its link encodes (the run's, not today's). */
export function resultsRecord(result: QuantResult, pageUrl: string): ResultsFile {
  const config: ExperimentConfig = decodeConfig(result.link).config;
  const layers = result.layers.map((l): ResultsLayerRow => {
    const o = config.overrides[l.node];
    return {
      node: l.node,
      layer: l.layer,
      type: l.type,
      shape: l.outputShape.slice(1).join('×'),
      weights: l.weight?.choice ?? null,
      wSqnrDb: toMeasured(l.weight?.sqnrDb),
      activations: l.activation?.choice ?? null,
      aSqnrDb: toMeasured(l.activation?.sqnrDb),
      sensitivity: toMeasured(l.sensitivity?.accuracy),
      cumulative: toMeasured(l.cumulative?.accuracy),
      accBitsNeeded: l.integer?.bitsNeeded ?? null,
      headroomBits: l.integer?.headroomBits ?? null,
      overrideWeights: o?.weights ? formatQuantChoice(o.weights) : null,
      overrideActivations: o?.activations ? formatQuantChoice(o.activations) : null,
    };
  });
  return {
    format: RESULTS_FORMAT,
    version: 1,
    model: result.modelId,
    backend: result.backend,
    shareLink: shareLinkOf(pageUrl, result.link),
    config,
    count: result.count,
    fp32Accuracy: toMeasured(result.fp32Accuracy),
    quantAccuracy: toMeasured(result.quantAccuracy),
    outputSqnrDb: toMeasured(result.outputSqnrDb),
    integerAccuracy: toMeasured(result.integer?.accuracy),
    layers,
  };
}

export const resultsJson = (r: ResultsFile) => `${JSON.stringify(r, null, 2)}\n`;

/** Reads a results JSON file back through the schema (throws a zod error naming the field). */
export const parseResultsJson = (text: string): ResultsFile =>
  resultsFileSchema.parse(JSON.parse(text));

/** CSV columns: the run's figures (repeated per row), then the layer table's. */
const RUN_COLUMNS = ['model', 'share_link', 'count', 'fp32_accuracy', 'quant_accuracy'] as const;
const LAYER_COLUMNS = [
  ['node', 'text'],
  ['layer', 'text'],
  ['type', 'text'],
  ['shape', 'text'],
  ['weights', 'optional'],
  ['wSqnrDb', 'number'],
  ['activations', 'optional'],
  ['aSqnrDb', 'number'],
  ['sensitivity', 'number'],
  ['cumulative', 'number'],
  ['accBitsNeeded', 'number'],
  ['headroomBits', 'number'],
  ['overrideWeights', 'optional'],
  ['overrideActivations', 'optional'],
] as const satisfies readonly (readonly [keyof ResultsLayerRow, 'text' | 'optional' | 'number'])[];

const CSV_NAMES: Record<(typeof LAYER_COLUMNS)[number][0], string> = {
  node: 'layer',
  layer: 'keras_layer',
  type: 'type',
  shape: 'output_shape',
  weights: 'weights',
  wSqnrDb: 'w_sqnr_db',
  activations: 'activations',
  aSqnrDb: 'a_sqnr_db',
  sensitivity: 'only_this_accuracy',
  cumulative: 'cumulative_accuracy',
  accBitsNeeded: 'acc_bits_needed',
  headroomBits: 'headroom_bits',
  overrideWeights: 'override_weights',
  overrideActivations: 'override_activations',
};

export const RESULTS_CSV_HEADER: readonly string[] = [
  ...RUN_COLUMNS,
  ...LAYER_COLUMNS.map(([k]) => CSV_NAMES[k]),
];

const numeric = (m: Measured): CsvCell =>
  m === 'Infinity' ? Infinity : m === '-Infinity' ? -Infinity : m;

export function resultsCsv(r: ResultsFile): string {
  const run: CsvCell[] = [
    r.model,
    r.shareLink,
    r.count,
    numeric(r.fp32Accuracy),
    numeric(r.quantAccuracy),
  ];
  const rows = r.layers.map((l) => [
    ...run,
    ...LAYER_COLUMNS.map(([k, kind]) => (kind === 'number' ? numeric(l[k]) : l[k])),
  ]);
  return toCsv(RESULTS_CSV_HEADER, rows);
}

/** The CSV read back into layer rows (what a round trip compares). */
export function parseResultsCsv(text: string): ResultsLayerRow[] {
  const [header, ...rows] = parseCsv(text);
  if (header?.join(',') !== RESULTS_CSV_HEADER.join(','))
    throw new Error('Not a results CSV: the header differs.');
  return rows.map((cells) => {
    const layer = cells.slice(RUN_COLUMNS.length);
    const row: Record<string, unknown> = {};
    LAYER_COLUMNS.forEach(([k, kind], i) => {
      const cell = layer[i] ?? '';
      if (kind === 'number') row[k] = toMeasured(numberCell(cell));
      else row[k] = kind === 'optional' && cell === '' ? null : unguardCell(cell);
    });
    // The schema checks each cell's type (e.g. headroom an integer).
    return layerRowSchema.parse(row);
  });
}
