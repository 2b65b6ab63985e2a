/**
 * One table of coded, value-naming messages for every problem the user can cause: a bad
 * share link, a broken model file, unusable weights (xyflow's errorMessages idea). Each
 * message names the offending file, field or value so the user can act on it.
 */

export const errorMessages = {
  MODEL_JSON_PARSE: (p: { file: string; detail: string }) =>
    `${p.file} is not valid JSON (${p.detail}).`,
  MODEL_JSON_SHAPE: (p: { file: string; detail: string }) =>
    `${p.file} is not a TF.js Layers model: ${p.detail}.`,
  WEIGHTS_MISSING: (p: { file: string; shard: string }) =>
    `${p.file} needs the weight file "${p.shard}", which was not provided.`,
  WEIGHTS_SIZE: (p: { file: string; shards: string; expected: number; actual: number }) =>
    `${p.file}: the weight files (${p.shards}) hold ${p.actual} bytes but the manifest describes ${p.expected}.`,
  WEIGHTS_DTYPE: (p: { weight: string; dtype: string }) =>
    `Weight "${p.weight}" has dtype ${p.dtype}; only float32 weights are supported.`,
  WEIGHTS_NONFINITE: (p: { file: string; weight: string; index: number; value: string }) =>
    `${p.file}: weight "${p.weight}" holds ${p.value} at element ${p.index}; every weight must be a finite number.`,
  MODEL_TOO_LARGE: (p: { file: string; bytes: number; limit: number }) =>
    `${p.file} is ${p.bytes} bytes; the limit is ${p.limit} bytes.`,
  UNSUPPORTED_LAYER: (p: { layer: string; type: string }) =>
    `Layer "${p.layer}" has type ${p.type}, which the playground does not support.`,
  MODEL_DATASET: (p: { file: string; input: string; output: string }) =>
    `${p.file}: a model with input ${p.input} and output ${p.output} fits no data set here; the playground evaluates digits (one input [28,28,1], 10 classes) or the spiral (one input [2], 2 classes).`,
  UPLOAD_NO_MODEL_JSON: (p: { files: string }) =>
    `None of the files (${p.files || 'none'}) is a model.json: add the model's .json file together with its weight files.`,
  UPLOAD_SEVERAL_JSON: (p: { files: string }) =>
    `Several files look like a model.json (${p.files}); upload one model at a time.`,
  UPLOAD_DUPLICATE: (p: { file: string }) =>
    `Two files are named "${p.file}"; a model's files must have distinct names.`,
  UPLOAD_TOO_LARGE: (p: { bytes: number; largest: string; limit: number }) =>
    `The files hold ${p.bytes} bytes in all (largest: "${p.largest}"); the limit for an uploaded model is ${p.limit} bytes (${Number((p.limit / 2 ** 20).toFixed(1))} MiB).`,
  UPLOAD_READ: (p: { file: string; detail: string }) =>
    `"${p.file}" could not be read (${p.detail.replace(/\.$/, '')}).`,
  UPLOAD_BUSY: (p: { files: string }) =>
    `Still validating ${p.files}; wait for it before uploading another model.`,
  UPLOAD_LOST: (p: { file: string }) =>
    `The engine restarted while ${p.file} was being validated; upload it again.`,
  MODEL_LOAD: (p: { file: string; detail: string }) =>
    `${p.file} could not be loaded: ${p.detail}.`,
  UNKNOWN_MODEL: (p: { id: string }) => `There is no built-in model "${p.id}".`,
  UNKNOWN_UPLOAD: (p: { id: string; fallback: string }) =>
    `The link names "${p.id}", an uploaded model: uploads do not travel in share links, so ${p.fallback} is shown instead.`,
  LINK_INVALID: (p: { key: string; value: string; expected: string }) =>
    `Share link: "${p.key}=${p.value}" is not valid; expected ${p.expected}. The default was kept.`,
  LINK_HIDE: (p: { names: string; known: string }) =>
    `Share link: "hide=${p.names}" names no control group; the groups are ${p.known}. The other groups named stay hidden.`,
  LESSON_UNKNOWN: (p: { id: string; known: string }) =>
    `Share link: "lesson=${p.id}" names no lesson; the lessons are ${p.known}. No lesson was opened.`,
  LINK_VERSION: (p: { version: string }) =>
    `Share link version "${p.version}" is not one this playground knows; the link was ignored.`,
  QAT_SETUP: (p: { detail: string }) => `QAT cannot start: ${p.detail}.`,
  BACKEND_LOST: (p: { backend: string; detail: string }) =>
    `The ${p.backend} device was lost (${p.detail}); switched to WASM.`,
  BACKEND_LOST_RERUN: (p: { jobs: string }) =>
    `Running again on WASM what the lost device was doing: ${p.jobs}.`,
  WORKER_CRASHED: (p: { detail: string; jobs: string }) =>
    `The engine worker crashed (${p.detail.replace(/\.$/, '')}); a new one was started. ${p.jobs ? `Stopped: ${p.jobs}; run it again.` : 'Nothing was running.'}`,
  EXPORT_UNSUPPORTED: (p: { node: string; detail: string }) =>
    `Node "${p.node}" cannot be exported as a TF.js Layers model: ${p.detail}.`,
  ENCODINGS_FILE: (p: { field: string; detail: string }) =>
    `Encodings file, ${p.field}: ${p.detail.replace(/\.$/, '')}.`,
  FIXED_ENCODING: (p: { node: string; kind: 'weight' | 'activation'; detail: string }) =>
    `The fixed ${p.kind} encoding of "${p.node}" cannot be used: ${p.detail}.`,
  SEARCH_OPTIONS: (p: { field: string; value: string; expected: string }) =>
    `Mixed-precision search: ${p.field} is ${p.value}; expected ${p.expected}.`,
} as const;

export type ErrorCode = keyof typeof errorMessages;
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof errorMessages)[C]>[0];

/** An error the UI can show as is: a code for tests and a message naming the fault. */
export class PlaygroundError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'PlaygroundError';
    this.code = code;
  }
}

export function playgroundError<C extends ErrorCode>(
  code: C,
  params: ErrorParams<C>,
): PlaygroundError {
  const format = errorMessages[code] as (p: ErrorParams<C>) => string;
  return new PlaygroundError(code, format(params));
}
