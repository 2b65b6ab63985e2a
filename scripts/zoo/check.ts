/**
 * Compares a model's index entry with a fresh measurement of its saved files and with its
 * spec's promises; returns the problems found, in words (empty when all is well).
 */
import type { ZooModel } from '../../src/engine/model/zooIndex';
import type { Measured } from './measure';
import type { ZooSpec } from './spec';

const sameRatio = (a: number, b: number): boolean =>
  Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

export function checkEntry(
  entry: ZooModel,
  measured: Measured,
  spec: ZooSpec | undefined,
): string[] {
  const problems: string[] = [];
  const expectEqual = (what: string, indexed: unknown, actual: unknown): void => {
    if (JSON.stringify(indexed) !== JSON.stringify(actual)) {
      problems.push(
        `${what}: index says ${JSON.stringify(indexed)}, files give ${JSON.stringify(actual)}`,
      );
    }
  };
  expectEqual('test count', entry.testCount, measured.testCount);
  expectEqual('test correct', entry.testCorrect, measured.testCorrect);
  expectEqual('accuracy', entry.fp32TestAccuracy, measured.fp32TestAccuracy);
  expectEqual('params', entry.params, measured.params);
  expectEqual('MACs per image', entry.macsPerImage, measured.macsPerImage);
  expectEqual('layers', entry.layers, measured.layers);
  const indexed = entry.depthwiseRangeRatio ?? [];
  expectEqual(
    'depthwise layers',
    indexed.map((r) => r.layer),
    measured.depthwiseRangeRatio.map((r) => r.layer),
  );
  indexed.forEach((r, i) => {
    const m = measured.depthwiseRangeRatio[i];
    if (m && !sameRatio(r.ratio, m.ratio))
      problems.push(`${r.layer} range ratio: index ${r.ratio}, files ${m.ratio}`);
  });
  if (spec && measured.fp32TestAccuracy < spec.minAccuracy) {
    problems.push(`accuracy ${measured.fp32TestAccuracy} is below the target ${spec.minAccuracy}`);
  }
  if (spec?.minDepthwiseRangeRatio !== undefined) {
    if (measured.depthwiseRangeRatio.length === 0)
      problems.push('no depthwise layer followed by BN');
    for (const r of measured.depthwiseRangeRatio) {
      if (r.ratio <= spec.minDepthwiseRangeRatio) {
        problems.push(
          `${r.layer} range ratio ${r.ratio.toFixed(2)} is not above ${spec.minDepthwiseRangeRatio}`,
        );
      }
    }
  }
  return problems;
}
