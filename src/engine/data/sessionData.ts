/**
 * The data sets a session hands its jobs, per model data set: the test set, a calibration
 * subset and the seeded training epochs. Each split loads once and is kept.
 */
import type { ExperimentConfig } from '@/config/schema';
import type { ModelCard } from '../events';
import { digitsCalibrationSet, digitsSubset } from './calibration';
import { type LabeledSet, digitsSet, limitSet } from './dataset';
import { type ByteSource, loadDigitsSplit } from './digits';
import { shuffledSpiral, spiralSplits } from './spiral';
import { spiralSet, spiralTestSet } from './spiralSet';

type DatasetName = ModelCard['dataset'];

export class SessionData {
  private testSets = new Map<string, Promise<LabeledSet>>();
  private trainDigits: ReturnType<typeof loadDigitsSplit> | null = null;

  constructor(private readonly source: ByteSource) {}

  testSet(dataset: DatasetName): Promise<LabeledSet> {
    let set = this.testSets.get(dataset);
    if (!set) {
      set =
        dataset === 'spiral'
          ? Promise.resolve(spiralTestSet())
          : loadDigitsSplit(this.source, 'test').then(digitsSet);
      this.testSets.set(dataset, set);
    }
    return set;
  }

  async calibrationSet(dataset: DatasetName, config: ExperimentConfig): Promise<LabeledSet> {
    if (dataset === 'spiral') {
      return limitSet(spiralSet(spiralSplits().train), config.calibration);
    }
    this.trainDigits ??= loadDigitsSplit(this.source, 'train');
    return digitsCalibrationSet(await this.trainDigits, config.calibration, config.seed);
  }

  /** The train split in a seeded order per epoch (paper 4.4: plain minibatch training). */
  async trainEpochs(dataset: DatasetName, seed: number): Promise<(epoch: number) => LabeledSet> {
    const epochSeed = (epoch: number) => (Math.imul(seed + 1, 0x9e3779b1) + epoch) >>> 0;
    if (dataset === 'spiral') {
      const train = spiralSplits().train;
      return (epoch) => spiralSet(shuffledSpiral(train, epochSeed(epoch)));
    }
    this.trainDigits ??= loadDigitsSplit(this.source, 'train');
    const split = await this.trainDigits;
    return (epoch) => digitsSet(digitsSubset(split, split.count, epochSeed(epoch)));
  }
}
