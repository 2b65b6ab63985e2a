/** Command-line options shared by train-builtin and verify-zoo. */
import { ZOO_SPECS } from './registry';
import type { ZooSpec } from './spec';

export interface ZooArgs {
  specs: ZooSpec[];
  /** Overrides every selected recipe's epoch count (quick experiments; recorded as run). */
  epochs?: number;
}

export function parseZooArgs(argv: readonly string[]): ZooArgs {
  const args: ZooArgs = { specs: [...ZOO_SPECS] };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--only' && value) {
      const ids = value.split(',');
      const unknown = ids.filter((id) => !ZOO_SPECS.some((s) => s.id === id));
      if (unknown.length)
        throw new Error(
          `Unknown model id(s): ${unknown.join(', ')}; known: ${ZOO_SPECS.map((s) => s.id).join(', ')}`,
        );
      args.specs = ZOO_SPECS.filter((s) => ids.includes(s.id));
      i++;
    } else if (flag === '--epochs' && value) {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`--epochs needs a positive whole number, got ${value}`);
      args.epochs = n;
      i++;
    } else {
      throw new Error(`Unknown argument ${flag ?? ''}; use --only <id>[,<id>] and --epochs <n>`);
    }
  }
  return args;
}
