/** The CLI's `qat` command: QAT flags on top of the link's config, the run, its table. */
import type { ExperimentConfig, QatConfig } from '../src/config/schema';
import { qatConfigSchema } from '../src/config/schema';
import type { QatResult } from '../src/engine/events';

export interface QatFlags {
  epochs?: string | undefined;
  'batch-size'?: string | undefined;
  lr?: string | undefined;
  optimizer?: string | undefined;
  'fixed-ranges': boolean;
  'keep-bn': boolean;
  'train-limit'?: string | undefined;
}

export const QAT_USAGE = `QAT options (paper section 4; they replace the link's qat= settings):
  --epochs N              epochs over the train split (default 3)
  --batch-size N          minibatch size (default 64)
  --optimizer adam|sgd    default adam (SGD: momentum 0.9)
  --lr X                  learning rate (default 0.0002)
  --fixed-ranges          keep the PTQ ranges instead of learning scales and zero points
  --keep-bn               keep BN with batch statistics (per-channel weights only)
  --train-limit N         train images per epoch (default all 8,000)
`;

/** The QAT config with the flags applied, or a message naming the bad flag. */
export function qatFromFlags(base: QatConfig, f: QatFlags): QatConfig | string {
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const candidate = {
    ...base,
    ...(f.epochs !== undefined ? { epochs: num(f.epochs) } : {}),
    ...(f['batch-size'] !== undefined ? { batchSize: num(f['batch-size']) } : {}),
    ...(f.lr !== undefined ? { learningRate: num(f.lr) } : {}),
    ...(f.optimizer !== undefined ? { optimizer: f.optimizer } : {}),
    ...(f['fixed-ranges'] ? { learnRanges: false } : {}),
    ...(f['keep-bn'] ? { bn: 'keep' } : {}),
    ...(f['train-limit'] !== undefined ? { trainLimit: num(f['train-limit']) } : {}),
  };
  const parsed = qatConfigSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return `QAT option ${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`;
}

export const withQat = (config: ExperimentConfig, qat: QatConfig): ExperimentConfig => ({
  ...config,
  qat,
});

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '-');

export function formatQatReport(r: QatResult): string {
  const lines = [
    `QAT of ${r.modelId} on ${r.backend}: ${r.trainCount} train images per epoch, ${r.stepsPerEpoch} steps per epoch, ${r.count} test items, link #${r.link}`,
    `FP32 ${pct(r.fp32Accuracy)}   PTQ start ${pct(r.ptqAccuracy)}   after QAT ${pct(r.accuracy)}`,
    '',
    'epoch  step  test accuracy  output SQNR (dB)  mean train loss  mean train accuracy',
  ];
  for (const e of r.epochs) {
    const steps = r.steps.filter((s) => s.epoch === e.epoch);
    const mean = (f: (s: (typeof steps)[number]) => number) =>
      steps.length ? steps.reduce((a, s) => a + f(s), 0) / steps.length : NaN;
    lines.push(
      [
        String(e.epoch).padEnd(5),
        String(e.step).padEnd(4),
        pct(e.testAccuracy).padEnd(13),
        (Number.isFinite(e.outputSqnrDb) ? e.outputSqnrDb.toFixed(1) : '-').padEnd(16),
        (Number.isFinite(mean((s) => s.loss)) ? mean((s) => s.loss).toFixed(4) : '-').padEnd(15),
        pct(mean((s) => s.trainAccuracy)),
      ].join('  '),
    );
  }
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  lines.push(
    '',
    `times: setup ${(r.millis.setup / 1000).toFixed(1)} s, training ${(r.millis.training / 1000).toFixed(1)} s ` +
      `(${(r.millis.training / Math.max(1, r.steps.length)).toFixed(0)} ms/step), testing ${(r.millis.evaluation / 1000).toFixed(1)} s`,
  );
  return `${lines.join('\n')}\n`;
}
