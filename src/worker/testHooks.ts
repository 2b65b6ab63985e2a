/**
 * Test-only faults inside the engine worker (issue 9), sent by EngineHandle.testFault, which the
 * page exposes only with `?test-hooks` (main.tsx). Nothing here is reachable from a share link
 * or from another origin: only the page that owns the worker can post to it.
 * - 'crash': an uncaught error, which the page sees as the worker's `error` event.
 * - 'lose-device': destroys the WebGPU device, as a GPU reset would (device.lost fires,
 *   every later op fails).
 * - 'hang': an endless loop, as a stuck kernel would be (the page's heartbeat notices).
 */
import * as tf from '@tensorflow/tfjs';
import type { TestFault } from './api';
import { hasKey, TEST_FAULT_KEY } from './messageKeys';

export function installTestHooks(scope: { addEventListener: Worker['addEventListener'] }): void {
  scope.addEventListener('message', (e: MessageEvent) => {
    const data: unknown = e.data;
    if (!hasKey(data, TEST_FAULT_KEY)) return;
    const kind = data[TEST_FAULT_KEY] as TestFault;
    if (kind === 'crash') {
      setTimeout(() => {
        throw new Error('test hook: simulated worker crash');
      });
    } else if (kind === 'hang') {
      setTimeout(() => {
        for (;;) {
          // never returns: the page's heartbeat (worker/heartbeat.ts) ends the worker
        }
      });
    } else if (kind === 'lose-device') {
      const backend = tf.findBackend('webgpu') as unknown as { device?: GPUDevice } | null;
      backend?.device?.destroy();
    }
  });
}
