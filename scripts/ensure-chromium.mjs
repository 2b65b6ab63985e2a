#!/usr/bin/env node
// Finds the Chromium the e2e tests drive (CHROMIUM_PATH, else /usr/bin/chromium). When none is
// there it installs Debian's `chromium` with apt-get if running as root, else stops and says
// exactly what to install. Playwright's own browser download cannot work on our machines.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
const found = candidates.find((p) => existsSync(p));
if (found) {
  console.log(`[e2e] using Chromium at ${found}`);
  process.exit(0);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isRoot) {
  console.log(
    "[e2e] no Chromium found; installing Debian's chromium with apt-get (about 2 minutes)",
  );
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  });
  if (existsSync('/usr/bin/chromium')) process.exit(0);
}
console.error(
  "[e2e] No Chromium found. Install Debian's chromium package as root:\n" +
    '    sudo apt-get update && sudo apt-get install -y chromium\n' +
    'or point CHROMIUM_PATH at a Chromium/Chrome binary, then run `npm test` again.',
);
process.exit(1);
