/**
 * How Playwright (and scripts/bench.ts) launch Debian's Chromium: which binary and which
 * flags. `--enable-unsafe-webgpu` gives the SwiftShader fallback adapter on a localhost page;
 * the rest keep headless Chromium from reaching for the network (shared/machine-notes.md).
 */
import { existsSync } from 'node:fs';

export const CHROMIUM_FLAGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** CHROMIUM_PATH when set, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return '/usr/bin/chromium';
}
