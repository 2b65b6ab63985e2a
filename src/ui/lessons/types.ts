/** A guided lesson as data (docs/lessons.md): text, formula, one "try this" step, a live check. */
import type { LessonId } from '@/config/lessons';
import type { ExperimentConfig } from '@/config/schema';
import type {
  DebugReport,
  DecisionBoundary,
  LayerActivations,
  LayerWeights,
  QatResult,
  QuantResult,
} from '@/store/types';

/** What the app measured for a lesson so far (never canned: every field comes from a run). */
export interface LessonEvidence {
  /** The lesson's experiment as decoded from its link. */
  config: ExperimentConfig;
  /** The finished run of the lesson's link, and of its "try this" config. */
  run: QuantResult | null;
  tried: QuantResult | null;
  /** The focus layer's folded kernel and FP32 activation sample, from the lesson's run. */
  weights: LayerWeights | null;
  activations: LayerActivations | null;
  /** The debugging flow's report and the QAT result for the lesson's link. */
  debug: DebugReport | null;
  qat: QatResult | null;
  /** Decision boundaries (2-D models) of the lesson's run and of the tried run. */
  boundary: DecisionBoundary | null;
  triedBoundary: DecisionBoundary | null;
}

export type Outcome =
  | { state: 'pending'; waiting: string }
  | {
      state: 'pass' | 'fail';
      /** The measured figures in words, e.g. "SQNR rose 5.9 dB per bit". */
      figures: string;
      /** The same figures as numbers, for the e2e test and the cross-checks. */
      values: Record<string, number>;
    };

export interface Lesson {
  id: LessonId;
  title: string;
  /** White-paper section, e.g. "2.2". */
  paper: string;
  explanation: string;
  /** The formula it illustrates, as TeX (a trusted constant, rendered with KaTeX). */
  formula: string;
  lookAt: string;
  /** The layer whose charts the lesson opens (selected after the run). */
  focus?: string;
  /** A job beyond the automatic run that the outcome needs. */
  job?: 'debug' | 'qat';
  tryThis: {
    /** The button's text: one control changed. */
    label: string;
    apply(config: ExperimentConfig): ExperimentConfig;
    /** What moved between the lesson's run and the tried one, in measured figures. */
    moved(run: QuantResult, tried: QuantResult, e: LessonEvidence): string;
  };
  /** The expected outcome in words, with its tolerance. */
  expected: string;
  outcome(e: LessonEvidence): Outcome;
}
