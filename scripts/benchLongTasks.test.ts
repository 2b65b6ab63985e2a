import { describe, expect, it } from 'vitest';
import { longMainThreadTasks } from './benchLongTasks';

describe('longMainThreadTasks', () => {
  it('keeps RunTask events of the renderer main thread over the threshold, with CPU time', () => {
    const trace = {
      traceEvents: [
        { ph: 'M', name: 'thread_name', pid: 1, tid: 7, args: { name: 'CrRendererMain' } },
        { ph: 'M', name: 'thread_name', pid: 1, tid: 8, args: { name: 'Compositor' } },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 7, ts: 0, dur: 70_400, tdur: 26_000 },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 7, ts: 1e5, dur: 49_000, tdur: 49_000 },
        { ph: 'X', name: 'Paint', pid: 1, tid: 7, ts: 2e5, dur: 90_000, tdur: 90_000 },
        { ph: 'X', name: 'RunTask', pid: 1, tid: 8, ts: 3e5, dur: 90_000, tdur: 90_000 },
        { ph: 'X', name: 'RunTask', pid: 2, tid: 7, ts: 4e5, dur: 90_000 },
      ],
    };
    expect(longMainThreadTasks(JSON.stringify(trace), 50)).toEqual([[70.4, 26]]);
    // Chromium also writes a bare array of events.
    expect(longMainThreadTasks(JSON.stringify(trace.traceEvents), 40)).toEqual([
      [70.4, 26],
      [49, 49],
    ]);
  });
});
