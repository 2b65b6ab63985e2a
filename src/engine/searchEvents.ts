/**
 * The plain data of the mixed-precision search that crosses from the engine to the UI and the
 * CLI (re-exported by events.ts, the one module worker/api.ts reads types from).
 */
import type { Objective, SearchPhase } from '@/quant/mixedSearch';
import type { Progress } from './events';

export type { Objective, SearchPhase };

export interface SearchOptions {
  /** Accuracy points (percent) the chosen config may lose against FP32, e.g. 1. */
  budget: number;
  /** Candidate bit-widths per weight slot and per activation slot. */
  weightBits: number[];
  activationBits: number[];
  /** What "cheaper" means for the chosen point: bit-operations or model size. */
  objective: Objective;
  /** Evaluate every assignment when the space has at most this many (default 0: never). */
  exhaustiveLimit?: number;
  /**
   * Images of the calibration split (train images, seeded) the search evaluates on; default:
   * the config's calibration images, which also set the ranges.
   */
  searchImages?: number;
}

/** Size, BOPs and accumulator width of one configuration (quant/bitCost.ts). */
export interface SearchCost {
  sizeBits: number;
  bops: number;
  maxAccumulatorBits: number | null;
}

export interface SearchPoint {
  /** Bits per knob in the result's knob order, e.g. "8.4.4.8". */
  key: string;
  phase: SearchPhase;
  /** Share-link hash of this configuration (the base config plus per-layer overrides). */
  link: string;
  /** Bits per searched weight slot and activation slot, by node. */
  weights: Record<string, number>;
  activations: Record<string, number>;
  /** Accuracy on the search (calibration) split. */
  accuracy: number;
  /** Accuracy on the test split, for the confirmed points; null otherwise. */
  testAccuracy: number | null;
  cost: SearchCost;
  /** Set when every searched slot of each side has one width (W<w>A<a>). */
  uniform: { weights: number; activations: number } | null;
}

export interface SearchResult {
  modelId: string;
  /** Share link of the config searched around (PTQ steps off). */
  link: string;
  options: SearchOptions;
  stage: 'preparing' | 'searching' | 'confirming' | 'done';
  /** The searched slots, as `w:<node>` / `a:<node>`, in key order. */
  knobs: string[];
  /** Items of the search (calibration) split and of the test split. */
  searchCount: number;
  testCount: number;
  fp32: { search: number | null; test: number | null };
  /** Least search-split accuracy a chosen config may have: FP32 − budget. */
  target: number | null;
  points: SearchPoint[];
  /** Keys of the Pareto front vs BOPs and vs size, cheapest first. */
  frontBops: string[];
  frontSize: string[];
  /** The cheapest point (by the objective) meeting the target on the search split. */
  searchChosen: string | null;
  /**
   * The cheapest confirmed point meeting the target on the search split and the budget on the
   * test split: the search's proposal when it holds there; null if none does.
   */
  chosen: string | null;
  /** The cheapest uniform point meeting the budget on the test split. */
  bestUniform: string | null;
  /** The chosen config re-run through the quantization pipeline (runQuantEval) on the test split. */
  pipelineAccuracy: number | null;
  sensitivity: { knob: string; bits: number; accuracy: number }[];
  warnings: string[];
  millis: { prepare: number; search: number; confirm: number };
}

export interface SearchUpdate {
  progress: Progress;
  result: SearchResult;
}
