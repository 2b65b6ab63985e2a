import { expect, test } from '@playwright/test';

interface Outcome {
  info: { backend: string; isFallbackAdapter: boolean | null; reason: string };
  result: { accuracy: number; count: number; outputs: number[] };
}

// SwiftShader WebGPU is ~300x slower than WASM here, so the subset stays tiny.
const N = 8;

for (const model of ['mlp', 'cnn']) {
  test(`FP32 ${model} on the WebGPU fallback adapter agrees with WASM on ${N} images`, async ({
    page,
  }) => {
    await page.goto('/test-pages/backends.html');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    const run = (backend: string) =>
      page.evaluate(
        ([b, m, n]) =>
          (
            window as unknown as { runEval: (b: string, m: string, n: number) => Promise<Outcome> }
          ).runEval(b, m, n),
        [backend, model, N] as const,
      );
    const wasm = await run('wasm');
    const gpu = await run('webgpu');
    expect(wasm.info.backend).toBe('wasm');
    expect(gpu.info.backend).toBe('webgpu');
    expect(gpu.info.isFallbackAdapter).toBe(true);
    expect(gpu.info.reason).toMatch(/forced by the user/);
    expect(gpu.result.count).toBe(N);
    expect(gpu.result.outputs).toHaveLength(N * 10);
    let maxDiff = 0;
    gpu.result.outputs.forEach((v, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - (wasm.result.outputs[i] ?? NaN)));
    });
    expect(maxDiff).toBeLessThan(1e-4);
    expect(gpu.result.accuracy).toBe(wasm.result.accuracy);
  });
}

interface QuantOutcome {
  info: { backend: string };
  result: {
    quantAccuracy: number;
    fp32Accuracy: number;
    outputSqnrDb: number;
    layers: {
      node: string;
      weight: { encoding: { scale: number[] } | null } | null;
      activation: { encoding: { scale: number[]; zeroPoint: number[] } | null } | null;
    }[];
  };
}

test('W4A8 quantization of cnn on the WebGPU fallback adapter agrees with WASM', async ({
  page,
}) => {
  await page.goto('/test-pages/backends.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const hash = 'v=1&model=cnn&n=8&cal=16&w=4-sym-pc-minmax&a=8-asym-pt-minmax';
  const run = (backend: string) =>
    page.evaluate(
      ([b, h]) =>
        (
          window as unknown as { runQuant: (b: string, h: string) => Promise<QuantOutcome> }
        ).runQuant(b, h),
      [backend, hash] as const,
    );
  const wasm = await run('wasm');
  const gpu = await run('webgpu');
  expect(gpu.info.backend).toBe('webgpu');
  expect(gpu.result.fp32Accuracy).toBe(wasm.result.fp32Accuracy);
  expect(gpu.result.quantAccuracy).toBe(wasm.result.quantAccuracy);
  expect(Math.abs(gpu.result.outputSqnrDb - wasm.result.outputSqnrDb)).toBeLessThan(0.1);
  gpu.result.layers.forEach((l, i) => {
    const w = wasm.result.layers[i];
    expect(l.node).toBe(w?.node);
    expect(l.weight?.encoding?.scale).toEqual(w?.weight?.encoding?.scale);
    l.activation?.encoding?.scale.forEach((s, k) => {
      expect(Math.abs(s - (w?.activation?.encoding?.scale[k] ?? NaN)) / s).toBeLessThan(1e-4);
    });
  });
});

test('the integer path of cnn runs on the WebGPU fallback adapter and matches its fake quant', async ({
  page,
}) => {
  await page.goto('/test-pages/backends.html');
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  const hash = 'v=1&model=cnn&n=4&cal=16&int=32-wrap-float';
  const run = (backend: string) =>
    page.evaluate(
      ([b, h]) =>
        (
          window as unknown as {
            runQuant: (
              b: string,
              h: string,
            ) => Promise<QuantOutcome & { result: { integer: IntegerOutcome | null } }>;
          }
        ).runQuant(b, h),
      [backend, hash] as const,
    );
  const wasm = await run('wasm');
  const gpu = await run('webgpu');
  expect(gpu.info.backend).toBe('webgpu');
  for (const r of [wasm, gpu]) {
    const int = r.result.integer;
    expect(int?.integerNodes).toEqual(['conv1', 'conv2', 'conv3', 'logits']);
    expect(int?.codeAgreement.equalFraction).toBeGreaterThanOrEqual(0.999);
    expect(int?.codeAgreement.maxStepDifference).toBeLessThanOrEqual(1);
    expect(int?.accuracy).toBe(r.result.quantAccuracy);
  }
  expect(gpu.result.integer?.accuracy).toBe(wasm.result.integer?.accuracy);
});

interface IntegerOutcome {
  accuracy: number;
  integerNodes: string[];
  codeAgreement: { equalFraction: number; maxStepDifference: number };
}

interface QatOutcome {
  info: { backend: string };
  result: {
    steps: { loss: number; trainAccuracy: number }[];
    epochs: { testAccuracy: number }[];
    ranges: { activations: Record<string, { max: number }> }[];
  };
}

// A QAT step runs the STE op and every gradient kernel; SwiftShader makes even tiny ones slow.
for (const [model, link] of [
  ['mlp', 'v=1&model=mlp&w=4-sym-pc-minmax&a=4-asym-pt-minmax&n=8&cal=8&qat=1ep-b8-adam0.001-t24'],
  ['cnn', 'v=1&model=cnn&w=4-sym-pc-minmax&a=fp32&n=4&cal=4&qat=1ep-b4-adam0.001-t8'],
] as const) {
  test(`QAT of ${model} on the WebGPU fallback adapter matches WASM step by step`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await page.goto('/test-pages/backends.html');
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
    const run = (backend: string) =>
      page.evaluate(
        ([b, h]) =>
          (window as unknown as { runQat: (b: string, h: string) => Promise<QatOutcome> }).runQat(
            b,
            h,
          ),
        [backend, link] as const,
      );
    const wasm = await run('wasm');
    const gpu = await run('webgpu');
    expect(gpu.info.backend).toBe('webgpu');
    expect(gpu.result.steps.length).toBeGreaterThanOrEqual(2);
    expect(gpu.result.steps).toHaveLength(wasm.result.steps.length);
    gpu.result.steps.forEach((s, i) => {
      const w = wasm.result.steps[i];
      expect(Math.abs(s.loss - (w?.loss ?? NaN))).toBeLessThan(2e-3 * Math.max(1, s.loss));
    });
    const [a, b] = [gpu.result.ranges.at(-1), wasm.result.ranges.at(-1)];
    for (const [node, r] of Object.entries(b?.activations ?? {}))
      expect(a?.activations[node]?.max).toBeCloseTo(r.max, 3);
    expect(gpu.result.epochs.at(-1)?.testAccuracy).toBe(wasm.result.epochs.at(-1)?.testAccuracy);
  });
}
