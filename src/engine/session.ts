/**
 * The engine as one object with the operations the UI (through the worker) and the CLI call:
 * list the zoo, load a model, evaluate it. It owns the loaded model and the cached data, and
 * makes a newer request cancel an older one.
 */
import type * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import { type LabeledSet, digitsSet, limitSet } from './data/dataset';
import { type ByteSource, loadDigitsSplit } from './data/digits';
import { spiralTestSet } from './data/spiralSet';
import { CancelledError, evaluateAccuracy } from './eval/evaluate';
import type { BackendName, EvalRequest, Fp32Result, ModelCard, Progress } from './events';
import { loadLayersModelFrom } from './model/load';
import { loadZooCards, type ZooCardWithPath } from './model/builtin';

export { CancelledError };

export class EngineSession {
  private zoo: ZooCardWithPath[] | null = null;
  private loaded: { id: string; model: tf.LayersModel } | null = null;
  private testSets = new Map<string, Promise<LabeledSet>>();
  private generation = 0;

  constructor(
    private readonly source: ByteSource,
    private readonly backend: () => BackendName,
  ) {}

  async listModels(): Promise<ModelCard[]> {
    this.zoo ??= await loadZooCards(this.source);
    return this.zoo.map(({ path: _path, ...card }) => card);
  }

  /** Makes any running request stop at its next batch. */
  cancel(): void {
    this.generation++;
  }

  async model(id: string): Promise<tf.LayersModel> {
    if (this.loaded?.id === id) return this.loaded.model;
    const entry = (await this.entries()).find((m) => m.id === id);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id });
    const model = await loadLayersModelFrom(this.source, entry.path);
    this.loaded?.model.dispose();
    this.loaded = { id, model };
    return model;
  }

  async evaluateFp32(req: EvalRequest, onProgress?: (p: Progress) => void): Promise<Fp32Result> {
    const gen = ++this.generation;
    const started = performance.now();
    const entry = (await this.entries()).find((m) => m.id === req.modelId);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id: req.modelId });
    const model = await this.model(req.modelId);
    const set = limitSet(await this.testSet(entry.dataset), req.limit);
    const result = await evaluateAccuracy(model, set, {
      keepOutputs: req.keepOutputs ?? false,
      shouldStop: () => gen !== this.generation,
      onProgress: (done, total) => onProgress?.({ phase: 'FP32 evaluation', done, total }),
    });
    const out: Fp32Result = {
      modelId: req.modelId,
      backend: this.backend(),
      count: result.count,
      correct: result.correct,
      accuracy: result.accuracy,
      millis: performance.now() - started,
    };
    if (result.outputs) out.outputs = result.outputs;
    return out;
  }

  dispose(): void {
    this.loaded?.model.dispose();
    this.loaded = null;
  }

  private async entries(): Promise<ZooCardWithPath[]> {
    this.zoo ??= await loadZooCards(this.source);
    return this.zoo;
  }

  private testSet(dataset: ModelCard['dataset']): Promise<LabeledSet> {
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
}
