/**
 * zod 4 probes for `new Function` (its JIT fast path) on first parse, which the Content Security
 * Policy refuses and reports as a `script-src eval` violation (vite.config.ts CSP). Imported right
 * after zod by the config schemas (so before anything can parse with them) and first by the
 * engine worker, whose own schemas (model files, encodings) import zod directly.
 */
import { z } from 'zod';

z.config({ jitless: true });
