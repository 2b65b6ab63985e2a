/**
 * Macrotask boundaries for the engine's long loops. In the worker, messages from the page (a
 * cancel, a heartbeat ping: worker/heartbeat.ts) are only handled between tasks, and awaiting a
 * WASM or CPU tensor's data() resolves as a microtask, so a loop over batches that only awaits
 * data() never lets them in. A timer does.
 */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A function to await once per loop iteration: it yields a task only when `everyMs` have passed
 * since the last yield, so a loop of fast iterations does not pay a timer each time.
 */
export function yielder(everyMs = 30): () => Promise<void> {
  let last = performance.now();
  return async () => {
    if (performance.now() - last < everyMs) return;
    await nextTask();
    last = performance.now();
  };
}
