/**
 * The plain-data types that cross from the engine (in its worker) to the UI: no tensors, no
 * classes, only what structured clone carries. worker/api.ts re-exports them.
 */
import type { BackendName, BackendRequest } from './backend/select';

export type { BackendName, BackendRequest };

export interface BackendInfo {
  backend: BackendName;
  /** Why this backend was chosen, in words for the status bar. */
  reason: string;
  /** The WebGPU adapter's vendor/architecture, or why there is none. */
  adapter: string;
  /** null when no adapter was found. */
  isFallbackAdapter: boolean | null;
}

export type DatasetId = 'digits' | 'spiral';

/** What a zoo card shows. */
export interface ModelCard {
  id: string;
  title: string;
  purpose: string;
  dataset: DatasetId;
  params: number;
  macsPerImage: number;
  fp32TestAccuracy: number;
  testCount: number;
  layers: { name: string; type: string }[];
}

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

export interface EvalRequest {
  modelId: string;
  /** Evaluate only the first `limit` test items (tiny runs on slow backends). */
  limit?: number;
  /** Return the softmax outputs too (cross-backend checks). */
  keepOutputs?: boolean;
}

export interface Fp32Result {
  modelId: string;
  backend: BackendName;
  count: number;
  correct: number;
  accuracy: number;
  millis: number;
  outputs?: Float32Array;
}
