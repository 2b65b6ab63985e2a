/**
 * Registers our JS kernels for the WASM backend: the three gradient kernels TF.js 4.22 lacks
 * (so conv nets, regular and depthwise, can train on WASM at all), and faster replacements for
 * two it has but which dominated training time (Conv2DBackpropInput, Tile; see their files).
 * A replacement keeps the original's setup/dispose hooks and hands it the cases it does not
 * cover. Idempotent: kernels already ours are skipped, and a missing kernel that a later TF.js
 * provides itself is left alone.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilter } from './Conv2DBackpropFilter';
import { makeConv2DBackpropInput } from './Conv2DBackpropInput';
import { depthwiseConv2dNativeBackpropFilter } from './DepthwiseConv2dNativeBackpropFilter';
import { depthwiseConv2dNativeBackpropInput } from './DepthwiseConv2dNativeBackpropInput';
import { makeTile } from './Tile';
import type { WasmKernelArgs } from './wasmKernelUtil';

interface OurKernel {
  name: string;
  /** true: replace TF.js's kernel; false: only fill a gap. */
  replaces: boolean;
  make: (original: tf.KernelFunc | undefined) => (args: WasmKernelArgs) => tf.TensorInfo;
}

const KERNELS: readonly OurKernel[] = [
  { name: 'Conv2DBackpropFilter', replaces: false, make: () => conv2DBackpropFilter },
  {
    name: 'DepthwiseConv2dNativeBackpropFilter',
    replaces: false,
    make: () => depthwiseConv2dNativeBackpropFilter,
  },
  {
    name: 'DepthwiseConv2dNativeBackpropInput',
    replaces: false,
    make: () => depthwiseConv2dNativeBackpropInput,
  },
  {
    name: 'Conv2DBackpropInput',
    replaces: true,
    make: (original) => makeConv2DBackpropInput(original),
  },
  { name: 'Tile', replaces: true, make: (original) => makeTile(original) },
];

export const WASM_GRAD_KERNEL_NAMES: readonly string[] = KERNELS.map((k) => k.name);

const ours = new Map<string, tf.KernelFunc>();

/** Registers our WASM kernels; safe to call any number of times, before or after setBackend. */
export function registerWasmGradKernels(): void {
  for (const k of KERNELS) {
    const current = tf.getKernel(k.name, 'wasm');
    if (current && ours.get(k.name) === current.kernelFunc) continue;
    if (current && !k.replaces) continue;
    const kernelFunc = k.make(current?.kernelFunc) as tf.KernelFunc;
    if (current) tf.unregisterKernel(k.name, 'wasm');
    tf.registerKernel({
      kernelName: k.name,
      backendName: 'wasm',
      kernelFunc,
      ...(current?.setupFunc ? { setupFunc: current.setupFunc } : {}),
      ...(current?.disposeFunc ? { disposeFunc: current.disposeFunc } : {}),
    });
    ours.set(k.name, kernelFunc);
  }
}

/** True when the kernel registered for WASM under this name is ours (for tests). */
export function isOurWasmKernel(name: string): boolean {
  const current = tf.getKernel(name, 'wasm');
  return current !== undefined && ours.get(name) === current.kernelFunc;
}
