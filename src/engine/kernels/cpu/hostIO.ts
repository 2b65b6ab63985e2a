/**
 * Tensor I/O for the TypeScript integer kernels on the two host backends, so each kernel is
 * written once over typed arrays (tfjs-notes.md §1.4):
 * - cpu: read `backend.data.get(dataId).values`, return `backend.makeTensorInfo(...)`;
 * - wasm: `backend.makeOutput(...)` for every output FIRST (its _malloc may grow the heap and
 *   detach earlier views), then `typedArrayFromHeap` views of inputs and outputs.
 */
import type * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { quantError } from '@/quant/errors';

export type HostBackendName = 'cpu' | 'wasm';

/** The slice of tfjs-backend-cpu's MathBackendCPU we use (not a direct dependency). */
interface CpuBackendLike {
  data: { get(dataId: tf.DataId): { values?: unknown } };
  makeTensorInfo(
    shape: number[],
    dtype: tf.DataType,
    values: Int32Array | Float32Array,
  ): tf.TensorInfo;
}

/** What the engine passes to a kernelFunc. */
export interface HostKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

export type HostArrays = Record<string, Int32Array | Float32Array>;

export function input(args: HostKernelArgs, kernel: string, name: string): tf.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`${kernel}: missing input "${name}"`);
  return t;
}

/** Kernel attributes arrive as a loose NamedAttrMap; each kernel names its own attr type. */
export function attrsOf<T>(args: HostKernelArgs): T {
  return (args.attrs ?? {}) as unknown as T;
}

/**
 * Runs `compute` over typed-array views of the named inputs and of int32 outputs of the given
 * shapes, on either host backend; returns the outputs' TensorInfos in order.
 */
export function runOnHost(
  backendName: HostBackendName,
  args: HostKernelArgs,
  kernel: string,
  inputNames: readonly string[],
  outShapes: readonly number[][],
  compute: (ins: HostArrays, outs: Int32Array[]) => void,
): tf.TensorInfo[] {
  return runOnHostTyped(backendName, args, kernel, inputNames, outShapes, 'int32', compute);
}

/** runOnHost with float32 outputs (the QAT quantizer kernels). */
export function runOnHostFloat(
  backendName: HostBackendName,
  args: HostKernelArgs,
  kernel: string,
  inputNames: readonly string[],
  outShapes: readonly number[][],
  compute: (ins: HostArrays, outs: Float32Array[]) => void,
): tf.TensorInfo[] {
  return runOnHostTyped(backendName, args, kernel, inputNames, outShapes, 'float32', compute);
}

function runOnHostTyped<T extends Int32Array | Float32Array>(
  backendName: HostBackendName,
  args: HostKernelArgs,
  kernel: string,
  inputNames: readonly string[],
  outShapes: readonly number[][],
  dtype: 'int32' | 'float32',
  compute: (ins: HostArrays, outs: T[]) => void,
): tf.TensorInfo[] {
  const infos = inputNames.map((n) => input(args, kernel, n));
  const ins: HostArrays = {};
  if (backendName === 'wasm') {
    const wasm = args.backend as BackendWasm;
    const outInfos = outShapes.map((s) => wasm.makeOutput(s, dtype));
    infos.forEach((t, i) => {
      ins[inputNames[i] ?? ''] = wasm.typedArrayFromHeap(t) as Int32Array | Float32Array;
    });
    compute(
      ins,
      outInfos.map((o) => wasm.typedArrayFromHeap(o) as T),
    );
    return outInfos;
  }
  const cpu = args.backend as CpuBackendLike;
  infos.forEach((t, i) => {
    const v = cpu.data.get(t.dataId).values;
    if (!(v instanceof Int32Array || v instanceof Float32Array))
      throw new Error(`${kernel}: input "${inputNames[i]}" has no int32/float32 data on cpu`);
    ins[inputNames[i] ?? ''] = v;
  });
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const outs = outShapes.map((s) =>
    dtype === 'int32' ? new Int32Array(size(s)) : new Float32Array(size(s)),
  ) as T[];
  compute(ins, outs);
  return outs.map((o, i) => cpu.makeTensorInfo(outShapes[i] ?? [], dtype, o));
}

/**
 * Checks the exactness precondition |code − zeroPoint| ≤ limit (quant/intArith.ts MAX_ABS_X /
 * MAX_ABS_W): past it an int32 product, which the WebGPU kernels use, could overflow.
 * `zeroPointOf(i)` gives the zero point of element i.
 */
export function checkCodes(
  kernel: string,
  what: string,
  codes: Int32Array | Float32Array,
  zeroPointOf: (i: number) => number,
  limit: number,
): void {
  for (let i = 0; i < codes.length; i++) {
    const d = (codes[i] ?? 0) - zeroPointOf(i);
    if (d > limit || d < -limit)
      throw quantError('OPTION', {
        name: `${kernel} ${what}[${i}] − zero point`,
        value: d,
        expected: `an integer in [−${limit}, ${limit}]`,
      });
  }
}
