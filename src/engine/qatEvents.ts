/**
 * The plain data of quantization-aware training (paper section 4) that crosses from the engine
 * to the UI: steps, learned ranges (paper 4.1), per-epoch test figures, the result and its
 * delta-encoded progress events, and the exported files (re-exported by events.ts, the one
 * module worker/api.ts reads types from).
 */
import type { BackendName, Progress } from './events';

/** One QAT optimizer step, on its minibatch. */
export interface QatStep {
  step: number;
  epoch: number;
  loss: number;
  trainAccuracy: number;
}

/** A quantizer's clipping range [s(qmin − z), s(qmax − z)] (per channel: the envelope). */
export interface QatRange {
  min: number;
  max: number;
  /** The scale (per channel: the mean). */
  scale: number;
}

/** Learned ranges of every quantizer at one step (paper 4.1: LSQ moves them). */
export interface QatRangePoint {
  step: number;
  weights: Record<string, QatRange>;
  activations: Record<string, QatRange>;
}

/** Measured after each epoch (epoch 0: the PTQ initialisation) on the test split. */
export interface QatEpoch {
  epoch: number;
  step: number;
  testAccuracy: number;
  outputSqnrDb: number;
  /** Weight SQNR per quantized node: trained kernel vs its fake-quantized self. */
  weightSqnrDb: Record<string, number>;
  millis: number;
}

export type QatStatus = 'preparing' | 'training' | 'paused' | 'done';

export interface QatResult {
  modelId: string;
  backend: BackendName;
  /** Share link of the config that was trained. */
  link: string;
  status: QatStatus;
  /** Test items each epoch is measured on, and train images per epoch. */
  count: number;
  trainCount: number;
  stepsPerEpoch: number;
  totalSteps: number;
  fp32Accuracy: number;
  /** The PTQ starting point (epoch 0) and the latest epoch's test accuracy. */
  ptqAccuracy: number;
  accuracy: number;
  steps: QatStep[];
  epochs: QatEpoch[];
  ranges: QatRangePoint[];
  warnings: string[];
  millis: { setup: number; training: number; evaluation: number };
}

/** A QAT result without its growing per-step arrays: small, sent whole with every update. */
export type QatHead = Omit<QatResult, 'steps' | 'epochs' | 'ranges'>;

/**
 * One QAT progress event: the head as it is now and only the entries appended since the
 * previous event (steps[from.steps] onwards, and so on), so a long run's messages stay small
 * (the store appends them, store/qatAssemble.ts).
 */
export interface QatUpdate {
  progress: Progress;
  head: QatHead;
  steps: QatStep[];
  epochs: QatEpoch[];
  ranges: QatRangePoint[];
  from: { steps: number; epochs: number; ranges: number };
}

/** The files of a QAT-trained model, as the app downloads them (engine/export/qatExport.ts). */
export interface QatExportFiles {
  /** model.json of a TF.js Layers model of the folded network; its manifest names `weights.bin`. */
  modelJson: string;
  weightsBin: ArrayBuffer;
  /** The learned encodings in AIMET layout (kernels `<node>.kernel`, activations by node). */
  encodingsJson: string;
}
