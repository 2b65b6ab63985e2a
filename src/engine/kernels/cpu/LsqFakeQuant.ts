/**
 * The QAT quantizer (engine/ops/learnableFakeQuant.ts) as two fused host kernels: one pass
 * forward, one pass backward over the tensor, where the composition of TF.js ops makes about a
 * dozen passes. The loops are quant/lsq.ts'. Registered for CPU only (register.ts says why);
 * written over runOnHost so WASM could take them too.
 */
import type * as tf from '@tensorflow/tfjs';
import { lsqBackwardLoop, lsqForwardLoop } from '@/quant/lsq';
import { LSQ_FAKE_QUANT, LSQ_FAKE_QUANT_GRAD, type LsqAttrs } from '../names';
import {
  attrsOf,
  input,
  runOnHostFloat,
  type HostBackendName,
  type HostKernelArgs,
} from './hostIO';

const f32 = (a: Int32Array | Float32Array | undefined): Float32Array =>
  a instanceof Float32Array ? a : Float32Array.from(a ?? []);

export function makeLsqForward(backendName: HostBackendName) {
  return (args: HostKernelArgs): tf.TensorInfo => {
    const { qmin, qmax } = attrsOf<LsqAttrs>(args);
    const x = input(args, LSQ_FAKE_QUANT, 'x');
    const [out] = runOnHostFloat(
      backendName,
      args,
      LSQ_FAKE_QUANT,
      ['x', 'scale', 'zero'],
      [x.shape],
      (ins, [o]) =>
        lsqForwardLoop(
          f32(ins['x']),
          f32(ins['scale']),
          f32(ins['zero']),
          { qmin, qmax },
          o as Float32Array,
        ),
    );
    return out as tf.TensorInfo;
  };
}

export function makeLsqBackward(backendName: HostBackendName) {
  return (args: HostKernelArgs): tf.TensorInfo[] => {
    const { qmin, qmax, learn } = attrsOf<LsqAttrs & { learn: boolean }>(args);
    const x = input(args, LSQ_FAKE_QUANT_GRAD, 'x');
    const s = input(args, LSQ_FAKE_QUANT_GRAD, 'scale');
    return runOnHostFloat(
      backendName,
      args,
      LSQ_FAKE_QUANT_GRAD,
      ['dy', 'x', 'scale', 'zero'],
      [x.shape, s.shape, s.shape],
      (ins, [dx, dlogS, dz]) =>
        lsqBackwardLoop(
          f32(ins['dy']),
          f32(ins['x']),
          f32(ins['scale']),
          f32(ins['zero']),
          { qmin, qmax },
          learn,
          {
            dx: dx as Float32Array,
            dlogS: dlogS as Float32Array,
            dz: dz as Float32Array,
          },
        ),
    );
  };
}
