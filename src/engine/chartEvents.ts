/**
 * The plain data of the live charts that crosses from the engine to the UI (re-exported by
 * events.ts, the one module worker/api.ts reads types from).
 */
import type { Progress } from './events';

/**
 * The folded FP32 kernel of one quantized node as the last run prepared it (BN folded, any
 * CLE / bias-absorption rewrite applied): the UI re-quantizes it on every slider step.
 */
export interface LayerWeights {
  node: string;
  /** Share link of the run whose prepared model this is. */
  link: string;
  values: Float32Array;
  shape: number[];
  /** Output channels: channel of flat element i is i % channels (per-channel quantizers). */
  channels: number;
}

/** A sample of one node's FP32 output on calibration images: what its quantizer was calibrated on. */
export interface LayerActivations {
  node: string;
  link: string;
  /**
   * Every `stride`-th value of the outputs of the first `images` calibration images; stride is
   * 1 more than a multiple of `channels`, so sample i still belongs to channel i % channels.
   */
  values: Float32Array;
  /** The output's last axis (its channels). */
  channels: number;
  images: number;
  stride: number;
}

/** One point of the accuracy vs bit-width sweep. */
export interface SweepPoint {
  /** Which side's bits were swept; the other side stays as configured. */
  kind: 'weights' | 'activations';
  bits: number;
  accuracy: number;
  outputSqnrDb: number | null;
}

export interface SweepResult {
  modelId: string;
  /** Share link of the config swept around. */
  link: string;
  /** Test items each point was evaluated on. */
  count: number;
  fp32Accuracy: number | null;
  points: SweepPoint[];
  /** Points still to run. */
  remaining: number;
}

export interface SweepUpdate {
  progress: Progress;
  result: SweepResult;
}

/** One model's predictions over a size×size grid, row-major from the top-left corner. */
export interface BoundaryImage {
  /** Arg-max class per grid cell. */
  label: Uint8Array;
  /** Its softmax probability. */
  confidence: Float32Array;
}

/** FP32 and quantized decision boundaries of a 2-D model (spiral) over [-extent, extent]². */
export interface DecisionBoundary {
  modelId: string;
  link: string;
  size: number;
  extent: number;
  fp32: BoundaryImage;
  quantized: BoundaryImage;
  /** Test points as (x, y) pairs and their labels, to overlay. */
  points: Float32Array;
  labels: Uint8Array;
}
