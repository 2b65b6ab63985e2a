/**
 * The mixed-precision search as a job of its own kind beside EngineSession (which lends its
 * model, data and backend, as for the charts' jobs): its own generation counter, so a slider's
 * automatic re-run does not cancel it, and a newer search or cancelSearch stops it at its
 * next batch.
 */
import { playgroundError } from '@/config/errors';
import type { ExperimentConfig } from '@/config/schema';
import type { ChartDeps } from '../chartJobs';
import { limitSet } from '../data/dataset';
import type { SearchOptions, SearchResult, SearchUpdate } from '../events';
import { checkSearchOptions, runSearch } from './runSearch';

export class SearchJobs {
  private generation = 0;

  constructor(private readonly deps: ChartDeps) {}

  /** Test items follow the config's `n`; the search evaluates on calibration-split images. */
  async search(
    config: ExperimentConfig,
    options: SearchOptions,
    onUpdate?: (u: SearchUpdate) => void,
  ): Promise<SearchResult> {
    checkSearchOptions(options);
    const gen = ++this.generation;
    const shouldStop = () => gen !== this.generation;
    const dataset = await this.deps.dataset(config.model);
    const model = await this.deps.model(config.model);
    const test = limitSet(await this.deps.testSet(dataset), config.evalLimit ?? undefined);
    const calibration = await this.deps.calibrationSet(dataset, config);
    const images = options.searchImages;
    if (images !== undefined && !(Number.isInteger(images) && images >= 1 && images <= 8000))
      throw playgroundError('SEARCH_OPTIONS', {
        field: 'searchImages',
        value: String(images),
        expected: 'an integer from 1 to 8000',
      });
    const searchSet = images
      ? await this.deps.calibrationSet(dataset, { ...config, calibration: images })
      : calibration;
    return runSearch({
      modelId: config.model,
      backend: this.deps.backend(),
      model,
      config,
      options,
      calibration,
      searchSet,
      test,
      shouldStop,
      ...(onUpdate ? { onUpdate } : {}),
    });
  }

  cancelSearch(): void {
    this.generation++;
  }
}
