import { expect, test } from '@playwright/test';

interface Outcome {
  backend: string;
  adapter?: string;
  ms?: number;
  results?: { name: string; ok: boolean; mismatches: number; error?: string }[];
  leakedTensors?: number;
  leakedGpuBytes?: number;
  error?: string;
}

// Dense/conv/depthwise cases × widths {8, 12, 16, 20, 24, 32} × {wrap, saturate}, plus four
// requantization cases (src/engine/kernels/conformance.ts). The shapes are tiny, so even the
// SwiftShader fallback WebGPU adapter runs all of them in a few seconds.
const CASES = 136;

for (const backend of ['webgpu', 'wasm', 'cpu']) {
  test(`integer kernels agree bit for bit with the reference on ${backend}`, async ({ page }) => {
    await page.goto(`/test-pages/conformance.html?backend=${backend}`);
    await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 100_000 });
    const outcome = await page.evaluate(
      () => (window as unknown as { __conformance: Outcome }).__conformance,
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.backend).toBe(backend);
    if (backend === 'webgpu') expect(outcome.adapter).toMatch(/^(fallback|hardware): /);
    expect(outcome.results).toHaveLength(CASES);
    expect(outcome.results?.filter((r) => !r.ok)).toEqual([]);
    expect([outcome.leakedTensors, outcome.leakedGpuBytes]).toEqual([0, 0]);
    await expect(page.locator('#out')).toContainText(`${CASES}/${CASES} cases passed`);
  });
}
