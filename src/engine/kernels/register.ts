/**
 * Registers every integer kernel (names.ts) for every backend that can run it: the TypeScript
 * kernels of ./cpu for 'cpu' and 'wasm', the WGSL programs of ./webgpu for 'webgpu' when that
 * backend is registered (tfjs-backend-webgpu registers it only where navigator.gpu exists).
 * Idempotent: a kernel already registered for a backend is left alone, so calling again after
 * the WebGPU backend appears adds just the WebGPU kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { makeAccKernelFunc, type AccLoop } from './cpu/accKernel';
import type { HostBackendName } from './cpu/hostIO';
import { conv2dLoop } from './cpu/QIntConv2D';
import { denseLoop } from './cpu/QIntDense';
import { depthwiseLoop } from './cpu/QIntDepthwiseConv2D';
import { makeRequantizeKernelFunc } from './cpu/QIntRequantize';
import { makeLsqBackward, makeLsqForward } from './cpu/LsqFakeQuant';
import {
  LSQ_FAKE_QUANT,
  LSQ_FAKE_QUANT_GRAD,
  QINT_CONV2D,
  QINT_DENSE,
  QINT_DEPTHWISE_CONV2D,
  QINT_REQUANTIZE,
  type QIntAccKernelName,
} from './names';
import { makeWebGpuAccKernelFunc } from './webgpu/accKernel';
import { webGpuRequantizeKernelFunc } from './webgpu/requantizeKernel';

const HOST_LOOPS: Record<QIntAccKernelName, AccLoop> = {
  [QINT_DENSE]: denseLoop,
  [QINT_CONV2D]: conv2dLoop,
  [QINT_DEPTHWISE_CONV2D]: depthwiseLoop,
};
const HOSTS: readonly HostBackendName[] = ['cpu', 'wasm'];

function configs(): tf.KernelConfig[] {
  const list: tf.KernelConfig[] = [];
  for (const [name, loop] of Object.entries(HOST_LOOPS) as [QIntAccKernelName, AccLoop][]) {
    for (const backendName of HOSTS)
      list.push({
        kernelName: name,
        backendName,
        kernelFunc: makeAccKernelFunc(name, backendName, loop),
      });
    list.push({
      kernelName: name,
      backendName: 'webgpu',
      kernelFunc: makeWebGpuAccKernelFunc(name),
    });
  }
  for (const backendName of HOSTS)
    list.push({
      kernelName: QINT_REQUANTIZE,
      backendName,
      kernelFunc: makeRequantizeKernelFunc(backendName),
    });
  list.push({
    kernelName: QINT_REQUANTIZE,
    backendName: 'webgpu',
    kernelFunc: webGpuRequantizeKernelFunc,
  });
  // The fused QAT quantizer, on CPU only: there a JS loop beats a dozen JS tf ops, but on WASM
  // the composition's SIMD passes (~1 ns/element each) beat the loop (~10 ns/element: measured
  // 800k elements, forward 9 ms, backward 10 ms), so WASM and WebGPU compose tf ops.
  list.push({ kernelName: LSQ_FAKE_QUANT, backendName: 'cpu', kernelFunc: makeLsqForward('cpu') });
  list.push({
    kernelName: LSQ_FAKE_QUANT_GRAD,
    backendName: 'cpu',
    kernelFunc: makeLsqBackward('cpu'),
  });
  return list;
}

/** Registers the integer kernels; safe to call any number of times, before or after setBackend. */
export function registerIntKernels(): void {
  for (const c of configs()) {
    if (c.backendName === 'webgpu' && !tf.findBackendFactory('webgpu')) continue;
    if (!tf.getKernel(c.kernelName, c.backendName)) tf.registerKernel(c);
  }
}
