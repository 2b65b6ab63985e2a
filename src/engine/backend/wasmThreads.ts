/**
 * Thread count for TF.js's threaded WASM build. TF.js 4.22's C++ side (tfjs-backend-wasm
 * src/cc/backend.cc, init_with_threads_count) caps whatever setThreadsCount asked for at
 * min(requested, 8, num_cores), where num_cores = navigator.hardwareConcurrency / 2 is read once,
 * when the module's static constructors run (it assumes two hyperthreads per core). On a 2-core
 * machine that is 1 thread whatever the app asks, which is why a first try saw no threading.
 * `withThreadsAllowed` makes the engine worker's navigator report twice the wanted count while
 * the module starts, so that the cap lets the wanted count through, then restores it.
 */

/** TF.js's own upper limit: the Emscripten glue preallocates 8 pthread workers. */
export const MAX_WASM_THREADS = 8;

/** The count to ask for: every logical core (the engine worker's own thread is one of them). */
export function wantedWasmThreads(hardwareConcurrency: number | undefined): number {
  const cores = Number.isFinite(hardwareConcurrency) ? Math.floor(hardwareConcurrency ?? 1) : 1;
  return Math.min(Math.max(cores, 1), MAX_WASM_THREADS);
}

/**
 * Runs `start` (which must create the WASM backend) while `nav.hardwareConcurrency` reads
 * 2 * threads, so backend.cc's num_cores equals `threads`; the real value is back afterwards.
 */
export async function withThreadsAllowed<T>(
  nav: { hardwareConcurrency: number },
  threads: number,
  start: () => Promise<T>,
): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', {
    configurable: true,
    get: () => threads * 2,
  });
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}
