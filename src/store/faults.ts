/**
 * What the store does when the engine fails under the person's jobs (issue 9): which jobs were
 * running, how to name them in a notice, and how to mark them stopped after a worker crash.
 * A lost WebGPU device re-runs them on WASM (the numbers are the same config's); a crashed
 * worker does not re-run them, since the same job could crash the new worker again.
 */
import type { AppState } from './types';

export interface RunningJobs {
  evaluate: boolean;
  /** The running quantization's options, or null. */
  quantize: { sensitivity: boolean } | null;
  debug: boolean;
  qat: boolean;
  sweep: boolean;
}

const busy = (status: string) => status === 'running' || status === 'paused';

export function runningJobs(s: AppState): RunningJobs {
  return {
    evaluate: busy(s.run.status),
    quantize: busy(s.quant.status) ? { sensitivity: s.quant.sensitivity } : null,
    debug: busy(s.debug.status),
    qat: busy(s.qat.status),
    sweep: busy(s.sweep.status),
  };
}

/** "FP32 evaluation, quantization": the running jobs as the notices name them. */
export function jobNames(jobs: RunningJobs): string {
  const names: string[] = [];
  if (jobs.evaluate) names.push('FP32 evaluation');
  if (jobs.quantize)
    names.push(jobs.quantize.sensitivity ? 'sensitivity analysis' : 'quantization');
  if (jobs.debug) names.push('debugging flow');
  if (jobs.qat) names.push('QAT');
  if (jobs.sweep) names.push('bit-width sweep');
  return names.join(', ');
}

/** The slices of jobs a crash stopped, marked failed (their last results stay on screen). */
export function stoppedSlices(s: AppState, jobs: RunningJobs): Partial<AppState> {
  const out: Partial<AppState> = {};
  if (jobs.evaluate) out.run = { ...s.run, status: 'failed' };
  if (jobs.quantize) out.quant = { ...s.quant, status: 'failed' };
  if (jobs.debug) out.debug = { ...s.debug, status: 'failed' };
  if (jobs.sweep) out.sweep = { ...s.sweep, status: 'failed' };
  return out;
}
