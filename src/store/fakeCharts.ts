/** The live-chart part of the fake EngineApi (fakeEngine.ts): scripted tensors and a stepped sweep. */
import type { ExperimentConfig } from '@/config/schema';
import type { EngineApi, LayerWeights, SweepPoint, SweepResult, SweepUpdate } from '@/worker/api';

/** A 2-channel kernel (channel of element i is i % 2): channel 1 is the wide one. */
export function fakeLayerWeights(node: string): LayerWeights {
  const values = Float32Array.of(0.1, -2, -0.1, 2, 0.05, 1, 0, -1);
  return { node, link: 'v=1', values, shape: [4, 2], channels: 2 };
}

/** The fake sweep's points: weights then activations, 8 down to 2 bits; accuracy falls. */
export const FAKE_SWEEP: SweepPoint[] = (['weights', 'activations'] as const).flatMap((kind) =>
  [8, 7, 6, 5, 4, 3, 2].map((bits) => ({
    kind,
    bits,
    accuracy: bits / 10,
    outputSqnrDb: 6 * bits,
  })),
);

export interface FakeCharts {
  /** Nodes whose kernel / activation sample was asked for, and configs swept. */
  layerCalls: string[];
  sweeps: ExperimentConfig[];
  /** Sends the pending sweep's next point; the last one resolves it. */
  sweepStep(): void;
  api: Pick<
    EngineApi,
    'layerWeights' | 'layerActivations' | 'decisionBoundary' | 'bitSweep' | 'cancelSweep'
  >;
}

/** Only `conv1` has tensors; the sweep waits for sweepStep, cancelSweep rejects it. */
export function createFakeCharts(): FakeCharts {
  let sweeping: {
    resolve: (r: SweepResult) => void;
    reject: (e: Error) => void;
    onUpdate: (u: SweepUpdate) => void;
    result: SweepResult;
  } | null = null;
  const charts: FakeCharts = {
    layerCalls: [],
    sweeps: [],
    sweepStep: () => {
      if (!sweeping) return;
      const r = sweeping.result;
      const point = FAKE_SWEEP[r.points.length];
      if (!point) return;
      r.points.push(point);
      r.remaining--;
      const done = r.points.length;
      sweeping.onUpdate({
        progress: { phase: 'Sweep', done, total: FAKE_SWEEP.length },
        result: structuredClone(r),
      });
      if (r.remaining === 0) {
        sweeping.resolve(structuredClone(r));
        sweeping = null;
      }
    },
    api: {
      layerWeights: async (node) => {
        charts.layerCalls.push(node);
        return node === 'conv1' ? fakeLayerWeights(node) : null;
      },
      layerActivations: async (node) => {
        charts.layerCalls.push(`${node}:activations`);
        const values = Float32Array.of(0, 0.5, 1, 2, 6);
        return node === 'conv1'
          ? { node, link: 'v=1', values, channels: 1, images: 1, stride: 1 }
          : null;
      },
      decisionBoundary: async () => null,
      bitSweep: (config, onUpdate) =>
        new Promise<SweepResult>((resolve, reject) => {
          charts.sweeps.push(config);
          const result: SweepResult = {
            modelId: config.model,
            link: 'v=1',
            count: 4,
            fp32Accuracy: 0.75,
            points: [],
            remaining: FAKE_SWEEP.length,
          };
          sweeping = { resolve, reject, onUpdate, result };
        }),
      cancelSweep: async () => {
        sweeping?.reject(new Error('cancelled'));
        sweeping = null;
      },
    },
  };
  return charts;
}
