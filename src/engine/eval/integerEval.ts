/**
 * The integer path beside the FP32 model and the fake-quant simulation on the same batches
 * (issue: integer-exact inference): top-1 accuracy, output SQNR against FP32, per integer node
 * the accumulator statistics, and how many of its output codes equal the fake-quant
 * simulation's codes for the same input codes, with the largest difference in steps (the
 * layer-wise check: end to end, one-step differences upstream move later codes too, which the
 * output SQNR and accuracy measure).
 */
import * as tf from '@tensorflow/tfjs';
import type { IntegerConfig } from '@/config/schema';
import { type AccStatsSummary, mergeAccStats } from '@/quant/intArith';
import type { LabeledSet } from '../data/dataset';
import { disposeValues, prepareInteger, toFloat } from '../quantsim/intExec';
import type { QuantSim } from '../quantsim/quantSim';
import { CancelledError } from './evaluate';
import { yielder } from '../yieldTask';

export interface CodeAgreement {
  equal: number;
  total: number;
  maxStepDifference: number;
}

export interface IntegerEvalResult {
  count: number;
  correct: number;
  /** SQNR (dB) of the integer path's `outputNode` against FP32. */
  outputSqnrDb: number;
  stats: Map<string, AccStatsSummary>;
  agreement: Map<string, CodeAgreement>;
  integerNodes: readonly string[];
  floatNodes: readonly string[];
}

export interface IntegerEvalOptions {
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
  shouldStop?: () => boolean;
}

export async function evaluateInteger(
  sim: QuantSim,
  config: IntegerConfig,
  set: LabeledSet,
  outputNode: string,
  options: IntegerEvalOptions = {},
): Promise<IntegerEvalResult> {
  const batchSize = options.batchSize ?? 250;
  const exe = prepareInteger(sim, config);
  const compared = exe.integerNodes;
  const stats = new Map<string, AccStatsSummary>();
  const agreement = new Map<string, CodeAgreement>(
    compared.map((n) => [n, { equal: 0, total: 0, maxStepDifference: 0 }]),
  );
  let correct = 0;
  let signal = 0;
  let noise = 0;
  const maybeYield = yielder();
  try {
    for (let start = 0; start < set.count; start += batchSize) {
      await maybeYield(); // lets a cancel (and the heartbeat) in between batches
      if (options.shouldStop?.()) throw new CancelledError();
      const end = Math.min(set.count, start + batchSize);
      const { x, labels } = set.batch(start, end);
      const fp = sim.fp.run(x, { collect: [outputNode] });
      const r = await exe.run(x, { reference: true }).catch((e: unknown) => {
        tf.dispose([x, fp.output, ...fp.outputs]);
        throw e;
      });
      const owned = new Set<tf.Tensor>([x, fp.output, ...fp.outputs, ...r.reference.values()]);
      fp.activations?.forEach((t) => owned.add(t));
      const summary = tf.tidy(() => {
        const out = r.values.get(sim.ir.outputs[0] ?? '');
        const logits = r.values.get(outputNode);
        const ref = fp.activations?.get(outputNode) as tf.Tensor;
        if (!out || !logits) throw new Error('The integer path produced no output');
        const y = toFloat(logits);
        const parts = [
          tf.sum(tf.square(ref)),
          tf.sum(tf.square(tf.sub(ref, y))),
          ...compared.flatMap((n) => {
            const v = r.values.get(n);
            const fake = r.reference.get(n);
            if (!v || !('codes' in v) || !fake) return [tf.scalar(0), tf.scalar(-1)];
            const d = tf.abs(tf.sub(v.codes, fake));
            return [tf.sum(tf.cast(tf.equal(d, 0), 'int32')), tf.max(d)];
          }),
        ];
        const pred = tf.argMax(toFloat(out), -1);
        return tf.concat([
          tf.stack(parts.map((p) => tf.cast(p, 'float32'))),
          tf.cast(pred, 'float32'),
        ]);
      });
      try {
        const v = await summary.data();
        signal += v[0] ?? 0;
        noise += v[1] ?? 0;
        compared.forEach((n, i) => {
          const a = agreement.get(n) as CodeAgreement;
          const codes = r.values.get(n);
          a.equal += v[2 + 2 * i] ?? 0;
          a.total += codes && 'codes' in codes ? codes.codes.size : 0;
          a.maxStepDifference = Math.max(a.maxStepDifference, v[3 + 2 * i] ?? 0);
        });
        const offset = 2 + 2 * compared.length;
        for (let i = 0; i < end - start; i++) if (v[offset + i] === labels[i]) correct++;
        for (const [n, s] of r.stats) {
          const before = stats.get(n);
          stats.set(n, before ? mergeAccStats(before, s) : s);
        }
      } finally {
        summary.dispose();
        disposeValues(r.values);
        owned.forEach((t) => t.dispose());
      }
      options.onProgress?.(end, set.count);
    }
  } finally {
    exe.dispose();
  }
  const outputSqnrDb = noise === 0 ? Infinity : 10 * Math.log10(signal / noise);
  return {
    count: set.count,
    correct,
    outputSqnrDb,
    stats,
    agreement,
    integerNodes: exe.integerNodes,
    floatNodes: exe.floatNodes,
  };
}
