/**
 * QAT progress events as deltas. A run sends an event after every step; sending the whole
 * result each time (a structured clone of every step and range so far) made each message, and
 * its decoding on the page, grow with the run. An event carries the small head and only the
 * entries appended since the previous one; entries are never changed once pushed, so they are
 * handed over as they are (postMessage copies them; in-process listeners share them).
 */
import type { Progress, QatResult, QatUpdate } from './events';

/** A sender for one run's result: each call describes what changed since the previous call. */
export function qatUpdates(result: QatResult): (progress: Progress) => QatUpdate {
  const sent = { steps: 0, epochs: 0, ranges: 0 };
  return (progress) => {
    const { steps, epochs, ranges, ...head } = result;
    const u: QatUpdate = {
      progress,
      // The head's own objects are mutated as the run goes on: copy them.
      head: { ...head, millis: { ...head.millis }, warnings: [...head.warnings] },
      steps: steps.slice(sent.steps),
      epochs: epochs.slice(sent.epochs),
      ranges: ranges.slice(sent.ranges),
      from: { ...sent },
    };
    sent.steps = steps.length;
    sent.epochs = epochs.length;
    sent.ranges = ranges.length;
    return u;
  };
}
