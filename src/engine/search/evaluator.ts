/**
 * Evaluates bit assignments fast: every candidate width is prepared once (weights quantized
 * at each weight width, activations calibrated at each activation width, all on the FP32
 * folded model, so no slot's encoding depends on another's bits), then an assignment only
 * picks, per slot, the kernel and encoding of its width. Encodings are those the quantization
 * pipeline would compute for the same config (tested against runQuantEval).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ExperimentConfig } from '@/config/schema';
import type { Encodings } from '@/quant/types';
import type { Assignment } from '@/quant/mixedSearch';
import type { LabeledSet } from '../data/dataset';
import { evaluateAccuracy } from '../eval/evaluate';
import type { ModelIR } from '../model/ir';
import { fakeQuantTensor } from '../ops/fakeQuant';
import { type Executable, prepare } from '../quantsim/execute';
import { createQuantSim, prepareWeights, type QuantSim } from '../quantsim/quantSim';
import { assignmentConfig, knobId, type SearchSpace } from './space';

export interface AssignmentEvaluator {
  readonly ir: ModelIR;
  /** Top-1 accuracy of the FP32 folded model. */
  fp32(set: LabeledSet, shouldStop?: () => boolean): Promise<number>;
  accuracy(a: Assignment, set: LabeledSet, shouldStop?: () => boolean): Promise<number>;
  dispose(): void;
}

/** Every knob at `w` (weights) and `b` (activations), or its highest width when not a candidate. */
function uniform(space: SearchSpace, w: number, b: number): Assignment {
  return Object.fromEntries(
    space.knobs.map((k) => {
      const want = k.kind === 'weights' ? w : b;
      return [k.id, k.candidates.includes(want) ? want : (k.candidates[0] as number)];
    }),
  );
}

export async function createAssignmentEvaluator(input: {
  model: tf.LayersModel;
  config: ExperimentConfig;
  space: SearchSpace;
  bits: { weights: readonly number[]; activations: readonly number[] };
  calibration: LabeledSet;
  shouldStop?: () => boolean;
  onProgress?: (done: number, total: number) => void;
}): Promise<AssignmentEvaluator> {
  const { space, config } = input;
  const wTop = Math.max(...input.bits.weights, 0);
  const aTop = Math.max(...input.bits.activations, 0);
  const total = input.bits.weights.length + input.bits.activations.length;
  let done = 0;
  const kernels = new Map<number, Map<string, Float32Array>>();
  for (const w of input.bits.weights) {
    const p = await prepareWeights(
      input.model,
      assignmentConfig(config, space, uniform(space, w, aTop)),
    );
    kernels.set(w, new Map([...p.weights].map(([node, q]) => [node, q.quantized])));
    input.onProgress?.(++done, total);
  }
  const sims: QuantSim[] = [];
  const encodings = new Map<number, ReadonlyMap<string, Encodings>>();
  try {
    for (const b of input.bits.activations.length ? input.bits.activations : [aTop]) {
      const p = await prepareWeights(
        input.model,
        assignmentConfig(config, space, uniform(space, wTop, b)),
      );
      const sim = await createQuantSim(
        p,
        input.calibration,
        input.shouldStop ? { shouldStop: input.shouldStop } : {},
      );
      sims.push(sim);
      encodings.set(b, sim.activations);
      input.onProgress?.(++done, total);
    }
  } catch (e) {
    sims.forEach((s) => s.dispose());
    throw e;
  }
  const first = sims[0] as QuantSim;
  // Slots outside the search keep the config's quantizer: the one every sim calibrated alike.
  const fixedAct = first.activations;
  const fixedKernel = (node: string) => first.weights.get(node)?.quantized;
  const placement = [...first.activations.keys()];

  const build = (a: Assignment): Executable =>
    prepare(first.ir, {
      weightTransform: (node, name, values) => {
        if (name !== 'kernel') return values;
        const bits = a[knobId('weights', node.name)];
        return (
          (bits === undefined ? fixedKernel(node.name) : kernels.get(bits)?.get(node.name)) ??
          values
        );
      },
      activationTransform: (name, t) => {
        const bits = a[knobId('activations', name)];
        const enc = bits === undefined ? fixedAct.get(name) : encodings.get(bits)?.get(name);
        return enc ? fakeQuantTensor(t, enc) : t;
      },
      placement,
    });

  const run = async (exe: Executable, set: LabeledSet, shouldStop?: () => boolean) => {
    try {
      const r = await evaluateAccuracy(
        (x) => exe.run(x).output,
        set,
        shouldStop ? { shouldStop } : {},
      );
      return r.accuracy;
    } finally {
      exe.dispose();
    }
  };
  return {
    ir: first.ir,
    fp32: (set, shouldStop) => run(prepare(first.ir, { placement: [] }), set, shouldStop),
    accuracy: (a, set, shouldStop) => run(build(a), set, shouldStop),
    dispose: () => sims.forEach((s) => s.dispose()),
  };
}
