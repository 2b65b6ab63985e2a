/** The message key of a test-only fault (worker/testHooks.ts); comlink ignores such messages. */
export const TEST_FAULT_KEY = '__playgroundTestFault';
