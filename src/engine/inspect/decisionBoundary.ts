/**
 * Decision boundaries of a 2-D classifier (the spiral model), TensorFlow-Playground style: the
 * FP32 and the quantized executables of one run evaluated on a size×size grid over
 * [-extent, extent]², so a person sees where quantization noise moves the boundary.
 */
import * as tf from '@tensorflow/tfjs';
import type { SpiralSet } from '../data/spiral';
import type { BoundaryImage, DecisionBoundary } from '../events';
import type { Executable } from '../quantsim/execute';
import type { QuantSim } from '../quantsim/quantSim';

export const BOUNDARY_SIZE = 64;
export const BOUNDARY_EXTENT = 1.2;

/** Grid cell centres, row-major from the top-left: x grows to the right, y downwards to -extent. */
export function gridInputs(size: number, extent: number): Float32Array {
  const xy = new Float32Array(size * size * 2);
  const at = (i: number) => -extent + ((i + 0.5) * 2 * extent) / size;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      xy[2 * (r * size + c)] = at(c);
      xy[2 * (r * size + c) + 1] = -at(r);
    }
  }
  return xy;
}

async function classify(exe: Executable, x: tf.Tensor): Promise<BoundaryImage> {
  const r = exe.run(x);
  const best = tf.tidy(() =>
    tf.stack([tf.cast(tf.argMax(r.output, -1), 'float32'), tf.max(r.output, -1)]),
  );
  tf.dispose([r.output, ...r.outputs]);
  try {
    const v = await best.data<'float32'>();
    const n = v.length / 2;
    return { label: Uint8Array.from(v.subarray(0, n)), confidence: v.slice(n) };
  } finally {
    best.dispose();
  }
}

export async function decisionBoundary(
  sim: QuantSim,
  /** `test`: the points to overlay (the run's evaluation items). */
  meta: { modelId: string; link: string; test: SpiralSet },
  size = BOUNDARY_SIZE,
  extent = BOUNDARY_EXTENT,
): Promise<DecisionBoundary> {
  const x = tf.tensor2d(gridInputs(size, extent), [size * size, 2]);
  const q = sim.build();
  try {
    const fp32 = await classify(sim.fp, x);
    const quantized = await classify(q, x);
    const { modelId, link, test } = meta;
    const points = test.x.slice(0, 2 * test.count);
    const labels = test.y.slice(0, test.count);
    return { modelId, link, size, extent, fp32, quantized, points, labels };
  } finally {
    q.dispose();
    x.dispose();
  }
}
