import { memo } from 'react';
import type { QatRangePoint, QatResult } from '@/store/types';
import { dbText, percent } from '../format';
import { LiveLineFigure } from './LiveLineFigure';
import { movingMean, seriesNames, thin, wideRows } from './series';

/** Steps averaged in the trend line of the noisy minibatch curves. */
const TREND = 10;

const pct = (v: number) => percent(v, 1);

/** Accuracy axis from the 10% step below the lowest value to 100%. */
const accuracyDomain = (values: readonly number[]): [number, number] => [
  Math.max(0, Math.floor(Math.min(1, ...values.filter(Number.isFinite)) * 10) / 10),
  1,
];

interface Props {
  result: QatResult;
}

/**
 * Every update brings a new result object (the store appends each event's new entries), so
 * each group of charts redraws only when its own series grew (or another run began).
 */
const sameRun = (a: Props, b: Props) =>
  a.result.link === b.result.link && a.result.modelId === b.result.modelId;

/** Loss and train accuracy of every optimizer step, each with its running mean. */
export const QatStepCurves = memo(
  function QatStepCurves({ result }: Props) {
    const steps = result.steps;
    const lossTrend = movingMean(
      steps.map((s) => s.loss),
      TREND,
    );
    const accTrend = movingMean(
      steps.map((s) => s.trainAccuracy),
      TREND,
    );
    const rows = thin(
      steps.map((s, i) => ({
        step: s.step,
        loss: s.loss,
        lossTrend: lossTrend[i] ?? s.loss,
        accuracy: s.trainAccuracy,
        accuracyTrend: accTrend[i] ?? s.trainAccuracy,
      })),
    );
    return (
      <>
        <LiveLineFigure
          testId="qat-loss"
          caption="Training loss (cross-entropy) per step"
          rows={rows}
          x="step"
          points={steps.length}
          lines={[
            { key: 'loss', name: 'minibatch' },
            { key: 'lossTrend', name: `mean of ${TREND}`, dashed: true },
          ]}
        />
        <LiveLineFigure
          testId="qat-train-accuracy"
          caption="Train accuracy per step (quantized forward pass, minibatch)"
          rows={rows}
          x="step"
          points={steps.length}
          format={pct}
          yDomain={accuracyDomain(steps.map((s) => s.trainAccuracy))}
          lines={[
            { key: 'accuracy', name: 'minibatch' },
            { key: 'accuracyTrend', name: `mean of ${TREND}`, dashed: true },
          ]}
        />
      </>
    );
  },
  (a, b) => sameRun(a, b) && a.result.steps.length === b.result.steps.length,
);

/** Test accuracy and per-layer weight SQNR after each epoch (epoch 0: the PTQ start). */
export const QatEpochCurves = memo(
  function QatEpochCurves({ result }: Props) {
    const epochs = result.epochs;
    const sqnr = epochs.map((e) => ({ at: e.epoch, values: e.weightSqnrDb }));
    const references = [
      ...(Number.isFinite(result.fp32Accuracy) ? [{ y: result.fp32Accuracy, label: 'FP32' }] : []),
      ...(Number.isFinite(result.ptqAccuracy)
        ? [{ y: result.ptqAccuracy, label: 'PTQ start' }]
        : []),
    ];
    return (
      <>
        <LiveLineFigure
          testId="qat-test-curve"
          caption={`Test accuracy per epoch on ${result.count} items (fixed encodings, as deployed)`}
          rows={epochs.map((e) => ({ epoch: e.epoch, accuracy: e.testAccuracy }))}
          x="epoch"
          points={epochs.length}
          format={pct}
          yDomain={accuracyDomain([
            ...epochs.map((e) => e.testAccuracy),
            ...references.map((r) => r.y),
          ])}
          references={references}
          lines={[{ key: 'accuracy', name: 'QAT' }]}
        />
        <LiveLineFigure
          testId="qat-weight-sqnr"
          caption="Weight SQNR per layer (dB): trained kernel vs its fake-quantized self"
          rows={wideRows('epoch', sqnr)}
          x="epoch"
          points={epochs.length}
          format={dbText}
          lines={seriesNames(sqnr).map((key) => ({ key }))}
        />
      </>
    );
  },
  (a, b) => sameRun(a, b) && a.result.epochs.length === b.result.epochs.length,
);

/**
 * Learned clipping ranges over the steps (paper 4.1: LSQ moves scales and zero points), each
 * quantizer's top of range divided by its PTQ start, so ranges of very different sizes (input
 * 1, logits 17) share one axis and a few percent of movement shows; the legend gives the value.
 */
export const QatRangeCurves = memo(
  function QatRangeCurves({ result }: Props) {
    const side = (kind: 'weights' | 'activations') => {
      const start = result.ranges[0]?.[kind] ?? {};
      const last = result.ranges.at(-1)?.[kind] ?? {};
      const points = thin(result.ranges).map((p: QatRangePoint) => ({
        at: p.step,
        values: Object.fromEntries(
          Object.entries(p[kind]).map(([node, r]) => [node, r.max / (start[node]?.max || 1)]),
        ),
      }));
      const lines = seriesNames(points).map((key) => ({
        key,
        name: `${key} (${(last[key]?.max ?? NaN).toPrecision(3)})`,
      }));
      return { rows: wideRows('step', points), lines };
    };
    const acts = side('activations');
    const weights = side('weights');
    const ratio = (v: number) => `${v.toFixed(3)}×`;
    return (
      <>
        <LiveLineFigure
          testId="qat-ranges-activations"
          caption="Activation quantizers: top of the clipping range s·(qmax − z), ÷ PTQ start, per step"
          rows={acts.rows}
          x="step"
          points={result.ranges.length}
          format={ratio}
          lines={acts.lines}
        />
        <LiveLineFigure
          testId="qat-ranges-weights"
          caption="Weight quantizers: top of the clipping range (largest channel), ÷ PTQ start, per step"
          rows={weights.rows}
          x="step"
          points={result.ranges.length}
          format={ratio}
          lines={weights.lines}
        />
      </>
    );
  },
  (a, b) => sameRun(a, b) && a.result.ranges.length === b.result.ranges.length,
);
