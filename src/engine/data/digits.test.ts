import { describe, expect, it } from 'vitest';
import { loadDigitsManifest, loadDigitsSplit } from './digits';
import { publicDirSource } from './nodeSource';
import type { ByteSource } from './digits';

describe('digits sets', () => {
  const source = publicDirSource();

  it('has the stratified 8,000 / 2,000 split with every class in both', async () => {
    const m = await loadDigitsManifest(source);
    expect(m.splits.train.count).toBe(8000);
    expect(m.splits.test.count).toBe(2000);
    m.splits.test.perClass.forEach((nTest, c) => {
      const nTrain = m.splits.train.perClass[c] ?? 0;
      // Stratified: each class's test share is 20% of its size, to within one image.
      expect(Math.abs(nTest - 0.2 * (nTest + nTrain))).toBeLessThanOrEqual(1);
    });
  });

  it('loads a split whose labels agree with the manifest counts', async () => {
    const test = await loadDigitsSplit(source, 'test');
    const counts = new Array<number>(10).fill(0);
    for (const l of test.labels) counts[l] = (counts[l] ?? 0) + 1;
    const m = await loadDigitsManifest(source);
    expect(counts).toEqual(m.splits.test.perClass);
    // pixels span the byte range: digits have black background and white strokes
    expect(Math.max(...test.images.subarray(0, 784 * 20))).toBeGreaterThan(200);
  });

  it('rejects a tampered split by checksum', async () => {
    const tampered: ByteSource = async (path) => {
      const bytes = await source(path);
      if (path.endsWith('test-labels.u8')) bytes[0] = ((bytes[0] ?? 0) + 1) % 10;
      return bytes;
    };
    await expect(loadDigitsSplit(tampered, 'test')).rejects.toThrow(/checksum/);
  });
});
