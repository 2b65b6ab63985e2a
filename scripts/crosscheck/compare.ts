/**
 * Cross-check of the engine against an independent PyTorch (torch.ao.quantization)
 * reproduction, scripts/crosscheck/torch_reference.py (docs/crosscheck.md):
 *
 *   npx tsx scripts/crosscheck/compare.ts [--models mlp,cnn] [--quick] [--limit N] [--json FILE]
 *
 * For each model and each configuration of the matrix, the engine (EngineSession, WASM backend)
 * and the Python script (one process per model, all configurations at once) quantize and
 * evaluate the same model on the same calibration and test images. Checked:
 * - the same quantizers exist (weights and activations, by node name);
 * - every scale equal to float32 rounding (relative difference <= 1e-6, or <= 2 float32 ulps),
 *   every zero point and qmin/qmax identical;
 * - quantized accuracy within 0.2 points, FP32 accuracy within 0.05 points;
 * - the first calibration indices identical (the seeded subset is re-implemented in Python).
 * Prints a table and exits with status 1 on any failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeConfig } from '../../src/config/codec';
import type { ExperimentConfig } from '../../src/config/schema';
import { useNodeBackend } from '../../src/engine/backend/node';
import { publicDirSource } from '../../src/engine/data/nodeSource';
import type { EncodingSummary, QuantResult } from '../../src/engine/events';
import { EngineSession } from '../../src/engine/session';
import { mulberry32, permutation } from '../../src/quant/random';

/** Debian's Python with python3-torch; CROSSCHECK_PYTHON overrides it (e.g. a virtualenv). */
export const PYTHON = process.env.CROSSCHECK_PYTHON ?? '/usr/bin/python3';
export const REFERENCE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'torch_reference.py');

/** Tolerances of the issue: scales to float32 rounding, accuracies in points (1 point = 0.01). */
export const TOLERANCE = {
  scaleRel: 1e-6,
  scaleUlps: 2,
  quantAccuracy: 0.002,
  fp32Accuracy: 0.0005,
} as const;

const ACT_ASYM = '8-asym-pt-minmax';
const ACT_SYM = '8-sym-pt-minmax';

/** One experiment: weight and activation tokens of the share link (docs/share-link.md). */
export interface Case {
  readonly model: string;
  readonly w: string;
  readonly a: string;
}

export const caseLink = (c: Case): string => `w=${c.w}&a=${c.a}`;

/**
 * The full matrix: W8A8 and W4A8 with weights sym/asym × per-tensor/per-channel and 8-bit
 * asymmetric per-tensor activations, plus 8-bit symmetric activations with W8 and W4 sym-pc.
 */
export function matrix(models: readonly string[]): Case[] {
  const cases: Case[] = [];
  for (const model of models) {
    for (const bits of [8, 4]) {
      for (const w of ['sym-pc', 'sym-pt', 'asym-pt', 'asym-pc'])
        cases.push({ model, w: `${bits}-${w}-minmax`, a: ACT_ASYM });
    }
    for (const bits of [8, 4]) cases.push({ model, w: `${bits}-sym-pc-minmax`, a: ACT_SYM });
  }
  return cases;
}

// ---- The Python side's JSON (torch_reference.py `main`) ----

interface TorchEncoding {
  bits: number;
  qmin: number;
  qmax: number;
  scale: number[];
  zeroPoint: number[];
  observedMin: number[];
  observedMax: number[];
}

interface TorchConfigResult {
  config: string;
  quantAccuracy: number;
  weights: Record<string, TorchEncoding>;
  activations: Record<string, TorchEncoding>;
}

export interface TorchResult {
  model: string;
  torch: string;
  calibration: { count: number; seed: number; firstIndices: number[] };
  count: number;
  fp32Accuracy: number;
  fp32AccuracyUnfolded: number;
  configs: TorchConfigResult[];
}

/** Whether /usr/bin/python3 can import torch and numpy; the reason when it cannot. */
export function torchAvailable(python = PYTHON): { ok: true } | { ok: false; reason: string } {
  const r = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], {
    encoding: 'utf8',
  });
  if (r.error) return { ok: false, reason: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: r.stderr.trim().split('\n').slice(-1)[0] ?? '' };
  return { ok: true };
}

/** Runs torch_reference.py once for a model with all its configurations. */
export function runTorch(
  model: string,
  links: readonly string[],
  options: { limit?: number; python?: string } = {},
): Promise<TorchResult> {
  const args = [REFERENCE_SCRIPT, '--model', model, ...links.flatMap((l) => ['--config', l])];
  if (options.limit !== undefined) args.push('--limit', String(options.limit));
  return new Promise((resolve, reject) => {
    const child = spawn(options.python ?? PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`torch_reference.py --model ${model} exited ${code}:\n${err.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(out) as TorchResult);
      } catch (e) {
        reject(new Error(`torch_reference.py printed no JSON (${String(e)}):\n${err.trim()}`));
      }
    });
  });
}

// ---- Comparison ----

const f32Bits = new Int32Array(1);
const f32View = new Float32Array(f32Bits.buffer);

/** Distance in float32 units in the last place (both values positive, as scales are). */
export function ulpDistance(a: number, b: number): number {
  f32View[0] = a;
  const ia = f32Bits[0] ?? 0;
  f32View[0] = b;
  return Math.abs(ia - (f32Bits[0] ?? 0));
}

export interface Row {
  model: string;
  config: string;
  fp32Ours: number;
  fp32Torch: number;
  quantOurs: number;
  quantTorch: number;
  /** Largest relative scale difference over all quantizers and channels. */
  maxScaleRel: number;
  /** Largest scale difference in float32 ulps, weight and activation quantizers apart. */
  maxUlps: { weight: number; activation: number };
  scales: number;
  zeroPointMismatches: number;
  failures: string[];
}

interface Quantizers {
  weights: Map<string, EncodingSummary>;
  activations: Map<string, EncodingSummary>;
}

function ourQuantizers(r: QuantResult): Quantizers {
  const weights = new Map<string, EncodingSummary>();
  const activations = new Map<string, EncodingSummary>();
  for (const l of r.layers) {
    if (l.weight?.encoding) weights.set(l.node, l.weight.encoding);
    if (l.activation?.encoding) activations.set(l.node, l.activation.encoding);
  }
  return { weights, activations };
}

/** Compares one configuration; every problem becomes a line in `failures`. */
export function compareCase(c: Case, ours: QuantResult, torch: TorchResult): Row {
  const link = caseLink(c);
  const failures: string[] = [];
  const t = torch.configs.find((x) => x.config === link);
  const row: Row = {
    model: c.model,
    config: link,
    fp32Ours: ours.fp32Accuracy ?? NaN,
    fp32Torch: torch.fp32Accuracy,
    quantOurs: ours.quantAccuracy ?? NaN,
    quantTorch: t?.quantAccuracy ?? NaN,
    maxScaleRel: 0,
    maxUlps: { weight: 0, activation: 0 },
    scales: 0,
    zeroPointMismatches: 0,
    failures,
  };
  if (!t) {
    failures.push('no torch result for this configuration');
    return row;
  }
  if (ours.count !== torch.count)
    failures.push(`evaluated ${ours.count} images here, ${torch.count} in torch`);
  const mine = ourQuantizers(ours);
  const sides = [
    ['weight', mine.weights, t.weights],
    ['activation', mine.activations, t.activations],
  ] as const;
  for (const [kind, here, there] of sides) {
    const names = new Set([...here.keys(), ...Object.keys(there)]);
    for (const name of names) {
      const a = here.get(name);
      const b = there[name];
      if (!a || !b) {
        failures.push(`${kind} quantizer ${name} exists only ${a ? 'here' : 'in torch'}`);
        continue;
      }
      if (a.qmin !== b.qmin || a.qmax !== b.qmax)
        failures.push(
          `${kind} ${name}: grid [${a.qmin}, ${a.qmax}] vs torch [${b.qmin}, ${b.qmax}]`,
        );
      if (a.scale.length !== b.scale.length) {
        failures.push(`${kind} ${name}: ${a.scale.length} scales vs ${b.scale.length} in torch`);
        continue;
      }
      a.scale.forEach((s, i) => {
        const u = b.scale[i] ?? NaN;
        const rel = Math.abs(s - u) / Math.max(Math.abs(s), Math.abs(u));
        const ulps = ulpDistance(s, u);
        row.scales++;
        row.maxScaleRel = Math.max(row.maxScaleRel, rel);
        row.maxUlps[kind] = Math.max(row.maxUlps[kind], ulps);
        if (!(rel <= TOLERANCE.scaleRel || ulps <= TOLERANCE.scaleUlps))
          failures.push(
            `${kind} ${name}[${i}]: scale ${s} vs torch ${u} (rel ${rel.toExponential(2)})`,
          );
        const z = a.zeroPoint[i];
        if (z !== b.zeroPoint[i]) {
          row.zeroPointMismatches++;
          failures.push(`${kind} ${name}[${i}]: zero point ${z} vs torch ${b.zeroPoint[i]}`);
        }
      });
    }
  }
  const dq = Math.abs(row.quantOurs - row.quantTorch);
  if (!(dq <= TOLERANCE.quantAccuracy + 1e-12))
    failures.push(
      `quantized accuracy ${pct(row.quantOurs)} vs torch ${pct(row.quantTorch)} ` +
        `(${(dq * 100).toFixed(2)} points > ${TOLERANCE.quantAccuracy * 100})`,
    );
  const df = Math.abs(row.fp32Ours - row.fp32Torch);
  if (!(df <= TOLERANCE.fp32Accuracy + 1e-12))
    failures.push(`FP32 accuracy ${pct(row.fp32Ours)} vs torch ${pct(row.fp32Torch)}`);
  return row;
}

/** Failures of the shared calibration subset (seeded permutation re-implemented in Python). */
export function checkCalibration(torch: TorchResult, count: number, seed: number): string[] {
  const ours = permutation(8000, mulberry32(seed)).slice(0, torch.calibration.firstIndices.length);
  const failures: string[] = [];
  if (torch.calibration.count !== count)
    failures.push(`torch calibrated on ${torch.calibration.count} images, here ${count}`);
  if (ours.join(',') !== torch.calibration.firstIndices.join(','))
    failures.push(
      `calibration indices differ: ${ours.slice(0, 6).join(',')}… vs torch ` +
        `${torch.calibration.firstIndices.slice(0, 6).join(',')}…`,
    );
  return failures;
}

export interface CrosscheckResult {
  rows: Row[];
  /** Failures not tied to one configuration (calibration subset, Python errors). */
  general: string[];
  ok: boolean;
}

/**
 * Runs `cases` through the engine and through torch. Python for a model starts before the
 * engine works on it, so both sides run side by side (one torch thread).
 */
export async function runCrosscheck(
  cases: readonly Case[],
  options: { limit?: number; onRow?: (row: Row) => void } = {},
): Promise<CrosscheckResult> {
  await useNodeBackend('wasm');
  const session = new EngineSession(publicDirSource(), () => 'wasm');
  const rows: Row[] = [];
  const general: string[] = [];
  const models = [...new Set(cases.map((c) => c.model))];
  try {
    for (const model of models) {
      const mine = cases.filter((c) => c.model === model);
      const torchRun = runTorch(
        model,
        mine.map(caseLink),
        options.limit === undefined ? {} : { limit: options.limit },
      );
      torchRun.catch(() => undefined); // awaited below; avoid an unhandled rejection meanwhile
      const ours: QuantResult[] = [];
      let config: ExperimentConfig | null = null;
      for (const c of mine) {
        const decoded = decodeConfig(caseLink(c));
        if (decoded.problems.length) throw new Error(decoded.problems[0]?.message);
        config = { ...decoded.config, model, backend: 'wasm' };
        if (options.limit !== undefined) config.evalLimit = options.limit;
        ours.push(await session.quantize(config, { sensitivity: false }));
      }
      let torch: TorchResult;
      try {
        torch = await torchRun;
      } catch (e) {
        general.push(`${model}: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      if (config) {
        for (const f of checkCalibration(torch, config.calibration, config.seed))
          general.push(`${model}: ${f}`);
      }
      mine.forEach((c, i) => {
        const row = compareCase(c, ours[i] as QuantResult, torch);
        rows.push(row);
        options.onRow?.(row);
      });
    }
  } finally {
    await session.dispose();
  }
  return { rows, general, ok: general.length === 0 && rows.every((r) => !r.failures.length) };
}

// ---- Report ----

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function formatTable(rows: readonly Row[]): string {
  const head = [
    'model',
    'config',
    'FP32 ours',
    'FP32 torch',
    'quant ours',
    'quant torch',
    'Δ points',
    'max scale rel',
    'max ulps w/a',
    'zp mismatch',
    'result',
  ];
  const body = rows.map((r) => [
    r.model,
    r.config,
    pct(r.fp32Ours),
    pct(r.fp32Torch),
    pct(r.quantOurs),
    pct(r.quantTorch),
    ((r.quantOurs - r.quantTorch) * 100).toFixed(2),
    r.maxScaleRel.toExponential(2),
    `${r.maxUlps.weight}/${r.maxUlps.activation}`,
    `${r.zeroPointMismatches}/${r.scales}`,
    r.failures.length ? 'FAIL' : 'ok',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'mlp,cnn,dwsep' },
      quick: { type: 'boolean', default: false },
      limit: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const available = torchAvailable();
  if (!available.ok) {
    process.stderr.write(
      `PyTorch is not available to ${PYTHON} (${available.reason}).\n` +
        "Install Debian's python3-torch (apt-get install python3-torch python3-numpy).\n",
    );
    process.exit(2);
  }
  const models = values.models.split(',').filter(Boolean);
  const cases = values.quick
    ? quickCases().filter((c) => models.includes(c.model))
    : matrix(models);
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  const started = performance.now();
  const result = await runCrosscheck(cases, limit === undefined ? {} : { limit });
  process.stdout.write(`${formatTable(result.rows)}\n`);
  const failures = [
    ...result.general,
    ...result.rows.flatMap((r) => r.failures.map((f) => `${r.model} ${r.config}: ${f}`)),
  ];
  process.stdout.write(
    `\n${result.rows.length} configurations, ${failures.length} failures, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (failures.length) process.stdout.write(`\n${failures.slice(0, 60).join('\n')}\n`);
  if (failures.length > 60) process.stdout.write(`… and ${failures.length - 60} more\n`);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  process.exit(result.ok ? 0 : 1);
}

/** The small part of the matrix the unit test runs. */
export function quickCases(): Case[] {
  return [
    { model: 'dwsep', w: '4-sym-pc-minmax', a: ACT_ASYM },
    { model: 'mlp', w: '8-asym-pt-minmax', a: ACT_ASYM },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
