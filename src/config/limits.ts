/**
 * Size limits on outside input, in config/ so the engine (the gate that enforces them), the
 * store (which refuses an oversized upload before reading it into memory) and the UI (which
 * states them) share one number.
 */

/** The most bytes one model may hold, model.json and weight files together (64 MiB). */
export const MAX_MODEL_BYTES = 64 * 1024 * 1024;
