/**
 * What every benchmark script shares: the median of a run's rounds, rounding for the tables,
 * and a `vite preview` server for the browser benches.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** The median; of an even count, the mean of the two middle values. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;
export const round2 = (x: number) => Math.round(x * 100) / 100;

/** `vite preview` of `dist` on `port`: vite's own process (not npx), so that kill() stops it. */
export function servePreview(
  dist: string,
  port: number,
  env: NodeJS.ProcessEnv = {},
): ChildProcess {
  const args = ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort'];
  return spawn(process.execPath, [...args, '--outDir', dist], {
    stdio: 'ignore',
    env: { ...process.env, ...env },
  });
}

/** Polls `url` every 0.5 s for up to a minute until it answers. */
export async function waitForServer(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`vite preview did not answer on ${url}`);
}
