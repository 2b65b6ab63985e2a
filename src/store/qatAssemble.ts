/**
 * The store's copy of a running QAT result, rebuilt from the engine's delta events
 * (engine/qatUpdates.ts): the head replaced, the new steps, epochs and ranges appended.
 */
import type { QatResult, QatUpdate } from '@/worker/api';

/**
 * The result after `u`. New entries go at the index the event says they start at, so an event
 * delivered twice cannot duplicate them; arrays with nothing new keep their identity (the
 * charts' memo checks compare lengths, React's compare references).
 */
export function applyQatUpdate(prev: QatResult | null, u: QatUpdate): QatResult {
  const append = <T>(old: readonly T[] | undefined, from: number, added: readonly T[]): T[] =>
    added.length === 0 && old ? (old as T[]) : [...(old ?? []).slice(0, from), ...added];
  return {
    ...u.head,
    steps: append(prev?.steps, u.from.steps, u.steps),
    epochs: append(prev?.epochs, u.from.epochs, u.epochs),
    ranges: append(prev?.ranges, u.from.ranges, u.ranges),
  };
}
