/** WebGPU kernelFunc of QIntRequantize (see QIntRequantizeProgram.ts). */
import type * as tf from '@tensorflow/tfjs';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { QINT_REQUANTIZE, requantizeInputNames, type QIntRequantizeAttrs } from '../names';
import { QIntRequantizeProgram } from './QIntRequantizeProgram';

export const webGpuRequantizeKernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const a = attrs as unknown as QIntRequantizeAttrs;
  const infos = requantizeInputNames(a.mode).map((name) => {
    const t = inputs[name];
    if (!t) throw new Error(`${QINT_REQUANTIZE}: missing input "${name}"`);
    return t;
  });
  const [acc, first] = infos as [tf.TensorInfo, tf.TensorInfo];
  const size = acc.shape.reduce((p, d) => p * d, 1);
  const channels = first.shape.reduce((p, d) => p * d, 1);
  const out = (backend as WebGPUBackend).runWebGPUProgram(
    new QIntRequantizeProgram(size, a.mode),
    infos,
    'int32',
    [channels, a.zeroPoint, a.qmin, a.qmax].map((v) => ({ type: 'int32' as const, data: [v] })),
  );
  return { dataId: out.dataId, shape: [...acc.shape], dtype: 'int32' };
};
