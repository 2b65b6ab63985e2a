/**
 * A small part of the PyTorch cross-check (scripts/crosscheck/compare.ts, docs/crosscheck.md):
 * dwsep W4A8 (symmetric per-channel weights: its 4-bit ties caught a float64 BN fold) and mlp W8A8 (asymmetric per-tensor weights) through
 * the engine and through torch_reference.py, with the tolerances of the full matrix.
 * Needs /usr/bin/python3 with torch and numpy (Debian: python3-torch); set
 * SKIP_TORCH_CROSSCHECK=1 to skip it where that cannot be installed.
 */
import { describe, expect, it } from 'vitest';
import { PYTHON, quickCases, runCrosscheck, TOLERANCE, torchAvailable } from './compare';

const skip = process.env.SKIP_TORCH_CROSSCHECK === '1';

function requireTorch(): void {
  const available = torchAvailable();
  if (!available.ok) {
    expect.fail(
      `The PyTorch cross-check needs ${PYTHON} with torch and numpy (${available.reason}). ` +
        "Install Debian's python3-torch: apt-get install python3-torch python3-numpy " +
        '(or set SKIP_TORCH_CROSSCHECK=1 to skip this test).',
    );
  }
}

describe.skipIf(skip)('cross-check against torch.ao.quantization', () => {
  it('finds PyTorch for the reference', () => {
    requireTorch();
  });

  it('gives the same encodings and accuracy as torch (dwsep W4A8 sym-pc, mlp W8A8 asym-pt)', async () => {
    requireTorch();
    const cases = quickCases();
    const result = await runCrosscheck(cases);
    expect(result.general).toEqual([]);
    expect(result.rows.map((r) => `${r.model} ${r.config}`)).toEqual(
      cases.map((c) => `${c.model} w=${c.w}&a=${c.a}`),
    );
    for (const row of result.rows) {
      const what = `${row.model} ${row.config}`;
      expect(row.failures, what).toEqual([]);
      expect(row.scales, what).toBeGreaterThan(0);
      expect(row.zeroPointMismatches, what).toBe(0);
      expect(
        row.maxScaleRel <= TOLERANCE.scaleRel ||
          Math.max(row.maxUlps.weight, row.maxUlps.activation) <= TOLERANCE.scaleUlps,
        `${what}: scales differ by ${row.maxScaleRel}`,
      ).toBe(true);
      expect(Math.abs(row.quantOurs - row.quantTorch), what).toBeLessThanOrEqual(
        TOLERANCE.quantAccuracy + 1e-12,
      );
      expect(Math.abs(row.fp32Ours - row.fp32Torch), what).toBeLessThanOrEqual(
        TOLERANCE.fp32Accuracy + 1e-12,
      );
    }
  }, 90_000);
});
