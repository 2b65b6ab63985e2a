import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat } from './heartbeat';

describe('worker heartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const setup = (busy: () => boolean, answer: boolean) => {
    const pings: number[] = [];
    const hangs: number[] = [];
    const hb = startHeartbeat({
      post: (n) => {
        pings.push(n);
        if (answer) queueMicrotask(() => hb.answered());
      },
      busy,
      onHang: (ms) => hangs.push(ms),
      hangMs: 10_000,
      intervalMs: 1_000,
      now: () => Date.now(),
    });
    return { hb, pings, hangs };
  };

  it('a busy worker that answers is never called hung', async () => {
    const { hb, pings, hangs } = setup(() => true, true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pings).toHaveLength(60);
    expect(hangs).toEqual([]);
    hb.stop();
  });

  it('a busy silent worker is reported once, after hangMs from the first unanswered ping', async () => {
    const { pings, hangs } = setup(() => true, false);
    await vi.advanceTimersByTimeAsync(10_999);
    expect(hangs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // First ping at t = 1 s, the check at t = 11 s finds it 10 s old.
    expect(hangs).toEqual([10_000]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(hangs).toHaveLength(1);
    expect(pings).toHaveLength(10); // t = 1..10 s, none after the report
  });

  it('an idle worker is not pinged, and idle time does not count as silence', async () => {
    let busy = false;
    const { hb, pings, hangs } = setup(() => busy, false);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(pings).toEqual([]);
    busy = true;
    await vi.advanceTimersByTimeAsync(5_000);
    busy = false; // the job ended before the limit: the unanswered pings are forgotten
    await vi.advanceTimersByTimeAsync(30_000);
    busy = true;
    await vi.advanceTimersByTimeAsync(9_000);
    expect(hangs).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(hangs).toHaveLength(1);
    hb.stop();
  });

  it('an answer resets the silence; stop() ends the pings', async () => {
    const { hb, pings, hangs } = setup(() => true, false);
    await vi.advanceTimersByTimeAsync(9_000);
    hb.answered();
    await vi.advanceTimersByTimeAsync(9_000);
    expect(hangs).toEqual([]);
    hb.stop();
    const sent = pings.length;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(pings).toHaveLength(sent);
    expect(hangs).toEqual([]);
  });
});
