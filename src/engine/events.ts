/**
 * The plain-data types that cross from the engine (in its worker) to the UI: no tensors, no
 * classes, only what structured clone carries. worker/api.ts re-exports them.
 */
import type { BackendName, BackendRequest } from './backend/select';
import type { SearchCost } from './searchEvents';

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
  /**
   * Loaded from the person's files (not the zoo): it lives only in this worker, a share link
   * cannot carry it, and its FP32 accuracy is not known until a run measures it.
   */
  uploaded?: true;
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

/** One tensor's encodings, per channel when there are several (plain arrays for the UI). */
export interface EncodingSummary {
  bitwidth: number;
  scheme: string;
  granularity: string;
  isSymmetric: boolean;
  qmin: number;
  qmax: number;
  scale: number[];
  zeroPoint: number[];
  min: number[];
  max: number[];
}

export interface LayerReport {
  /** IR node name (after BN folding / activation fusing). */
  node: string;
  /** Keras layer it came from. */
  layer: string;
  type: string;
  outputShape: (number | null)[];
  /** Weight quantizer: its share-link token ('fp32' when kept in float). */
  weight: { choice: string; sqnrDb: number | null; encoding: EncodingSummary | null } | null;
  /** Output activation quantizer; sqnrDb compares the quantized run with the FP32 run here. */
  activation: { choice: string; sqnrDb: number | null; encoding: EncodingSummary | null } | null;
  /** Only this layer's quantizers on (AIMET QuantAnalyzer per-layer). */
  sensitivity: { accuracy: number; outputSqnrDb: number } | null;
  /** Layers 1..this one quantized. */
  cumulative: { accuracy: number; outputSqnrDb: number } | null;
  /** Integer-exact run (conv/dense layers only), when the config enables it. */
  integer: IntegerLayerStats | null;
}

/** Accumulator statistics of one conv/dense layer over the evaluated images (paper 2.1). */
export interface IntegerLayerStats {
  /** Largest |partial sum| of the exact accumulation (bias included). */
  maxAbsAccumulator: number;
  /** Smallest signed accumulator width that holds every partial sum. */
  bitsNeeded: number;
  /** accumulatorBits − bitsNeeded: negative means overflow happens. */
  headroomBits: number;
  /** Fraction of accumulation steps whose exact sum did not fit (wrapped or clipped). */
  overflowFraction: number;
  /** Fraction of outputs with at least one overflowing step. */
  outputsOverflowedFraction: number;
  /** Output codes equal to the fake-quant simulation's codes (fraction), and the largest difference in steps. */
  codeAgreement: { equalFraction: number; maxStepDifference: number } | null;
}

/** The integer path's whole-model figures beside the fake-quant ones. */
export interface IntegerResult {
  accumulatorBits: number;
  overflow: 'wrap' | 'saturate';
  requantization: 'fixed-point' | 'float';
  accuracy: number;
  /** Output SQNR against FP32, like QuantResult.outputSqnrDb. */
  outputSqnrDb: number;
  /** Over every integer layer's output codes: equal to fake quant's, and the largest gap. */
  codeAgreement: { equalFraction: number; maxStepDifference: number };
  /** Conv/dense nodes run on the integer kernels. */
  integerNodes: string[];
  /** Nodes computed in float between dequantization and requantization (pooling, add, FP32 layers). */
  floatNodes: string[];
  millis: number;
}

export type QuantStage =
  'weights' | 'ptq' | 'calibrating' | 'evaluating' | 'integer' | 'sensitivity' | 'done';

/** One rung of the PTQ ladder: the model quantized after the steps so far (paper 3.5). */
export interface PtqStepReport {
  step: 'baseline' | 'cle' | 'adaround' | 'bias-correction';
  /** In words, e.g. "+ CLE and bias absorption". */
  label: string;
  accuracy: number;
  outputSqnrDb: number;
  /** Weight SQNR (dB) per conv/dense node. */
  weightSqnrDb: Record<string, number>;
  millis: number;
}

/** What each PTQ step did, for the tables and charts. */
export interface PtqReport {
  steps: PtqStepReport[];
  /** Per-output-channel weight ranges (max |w|) before and after CLE, per equalized node. */
  cle: {
    iterations: number;
    pairs: { first: string; second: string }[];
    ranges: { node: string; before: number[]; after: number[] }[];
  } | null;
  /** Bias absorption: node → next, channels whose bias moved. */
  biasAbsorption: { node: string; next: string; channels: number }[] | null;
  /** AdaRound per layer: layer-output MSE with nearest rounding and with AdaRound. */
  adaround:
    | {
        node: string;
        iterations: number;
        nearestMse: number;
        adaroundMse: number;
        /** Mean (Ŵ − W)²: nearest is the minimum by construction. */
        nearestWeightMse: number;
        adaroundWeightMse: number;
        /** Share of weights whose code differs from round-to-nearest. */
        fractionChanged: number;
        /** Loss every few iterations, for the live curve. */
        loss: { iteration: number; total: number; reconstruction: number }[];
        millis: number;
      }[]
    | null;
  /** Bias correction: mean |E[y_q − y_fp]| over channels, before and after, per layer. */
  biasCorrection: {
    mode: 'empirical' | 'analytic';
    layers: { node: string; before: number; after: number }[];
  } | null;
}

export interface QuantResult {
  modelId: string;
  backend: BackendName;
  /** The share-link hash of the config that produced this result. */
  link: string;
  stage: QuantStage;
  count: number;
  fp32Accuracy: number | null;
  quantAccuracy: number | null;
  /** SQNR of the model output (the logits feeding softmax) against FP32. */
  outputSqnrDb: number | null;
  layers: LayerReport[];
  folded: {
    batchNorms: { batchNorm: string; into: string }[];
    activations: { activation: string; into: string }[];
  };
  warnings: string[];
  /** Set when the config enables the integer path. */
  integer: IntegerResult | null;
  /** Set when the config enables PTQ steps (CLE, bias absorption, AdaRound, bias correction). */
  ptq: PtqReport | null;
  /** Size, BOPs and accumulator width of the config (quant/bitCost.ts; set by runQuantEval). */
  cost?: SearchCost;
  millis: { weights: number; calibration: number; evaluation: number; sensitivity: number };
}

export interface QuantUpdate {
  progress: Progress;
  result: QuantResult;
}

/** The PTQ debugging flow's report (paper 3.7, Fig. 9), measured on the evaluation set. */
export interface DebugReport {
  modelId: string;
  link: string;
  count: number;
  /** Step 1: model.predict vs the simulation with every quantizer bypassed. */
  sanity: { predictAccuracy: number; bypassedAccuracy: number; passed: boolean };
  /** The whole config quantized. */
  quantizedAccuracy: number;
  /** Step 2: one side quantized, the other in FP32. */
  weightsOnlyAccuracy: number;
  activationsOnlyAccuracy: number;
  /** Which side loses more accuracy. */
  culprit: 'weights' | 'activations' | 'none';
  /** Step 5: each quantizer alone (the rest in FP32), worst first. */
  quantizers: { node: string; kind: 'weights' | 'activations'; type: string; accuracy: number }[];
  /** Steps 3, 4, 7: what to try next, with its link and, where cheap, its measured accuracy. */
  suggestions: { text: string; link: string; accuracy: number | null }[];
  millis: number;
}

export type {
  QatEpoch,
  QatExportFiles,
  QatHead,
  QatRange,
  QatRangePoint,
  QatResult,
  QatStatus,
  QatStep,
  QatUpdate,
} from './qatEvents';
export type {
  BoundaryImage,
  DecisionBoundary,
  LayerActivations,
  LayerWeights,
  SweepPoint,
  SweepResult,
  SweepUpdate,
} from './chartEvents';
export type {
  SearchCost,
  SearchOptions,
  SearchPoint,
  SearchResult,
  SearchUpdate,
} from './searchEvents';
