/**
 * Hosts the engine in a module worker so the page never freezes: starts the backend, then
 * serves EngineApi calls through comlink. The only place the app runs engine/ code.
 */
import '@/config/zodCsp'; // first: before any schema parses
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { startBackend } from '@/engine/backend/browser';
import { fetchSource } from '@/engine/data/digits';
import { EngineSession } from '@/engine/session';
import { DeviceLossGuard } from '@/engine/backend/deviceLoss';
import type { EngineApi } from './api';
import { answerHeartbeats } from './heartbeat';
import { installTestHooks } from './testHooks';

let session: EngineSession | null = null;
/** Turns a job's failure on a lost WebGPU device into DEVICE_LOST_ERROR (the page re-runs it). */
const deviceGuard = new DeviceLossGuard(() => tf.getBackend());

function requireSession(): EngineSession {
  if (!session) throw new Error('The engine has not been started');
  return session;
}

const api: EngineApi = {
  async start(request, baseUrl, onDeviceLost) {
    if (session) throw new Error('The engine was already started; spawn a new worker to switch');
    const info = await startBackend(request, (detail) => {
      deviceGuard.markLost(detail);
      onDeviceLost(detail);
    });
    const gpu = tf.findBackend('webgpu') as unknown as { device?: GPUDevice } | null;
    if (info.backend === 'webgpu' && gpu?.device) deviceGuard.watch(gpu.device.lost);
    session = new EngineSession(fetchSource(baseUrl), () => tf.getBackend() as typeof info.backend);
    return info;
  },
  listModels: () => requireSession().listModels(),
  uploadModel: (files) =>
    requireSession().uploadModel(
      files.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })),
    ),
  evaluateFp32: (req, onProgress) => requireSession().evaluateFp32(req, onProgress),
  quantize: (config, options, onUpdate) => requireSession().quantize(config, options, onUpdate),
  debugFlow: (config, onProgress) => requireSession().debugFlow(config, onProgress),
  async aimetEncodings() {
    const file = requireSession().aimetEncodings();
    return file ? `${JSON.stringify(file, null, 2)}\n` : null;
  },
  qat: (config, onUpdate) => requireSession().qat(config, onUpdate),
  async pauseQat() {
    session?.pauseQat();
  },
  async resumeQat() {
    session?.resumeQat();
  },
  async cancelQat() {
    session?.cancelQat();
  },
  exportQat: () => requireSession().exportQat(),
  exportPtq: () => requireSession().exportPtq(),
  async cancel() {
    session?.cancel();
  },
  layerWeights: async (node) => requireSession().charts.layerWeights(node),
  layerActivations: (node) => requireSession().charts.layerActivations(node),
  decisionBoundary: async () => requireSession().charts.decisionBoundary(),
  bitSweep: (config, onUpdate) => requireSession().charts.sweep(config, onUpdate),
  async cancelSweep() {
    session?.charts.cancelSweep();
  },
  mixedSearch: (config, options, onUpdate) =>
    requireSession().search.search(config, options, onUpdate),
  async cancelSearch() {
    session?.search.cancelSearch();
  },
};

/** Every call, wrapped by the device-loss guard. */
const guarded = Object.fromEntries(
  Object.entries(api).map(([k, fn]) => [
    k,
    deviceGuard.wrap(fn as (...a: unknown[]) => Promise<unknown>),
  ]),
) as unknown as EngineApi;

answerHeartbeats(self);
installTestHooks(self);
Comlink.expose(guarded);
