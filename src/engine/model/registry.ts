/**
 * The models a session can run: the zoo's cards plus the outside models added to them
 * (custom.ts, upload.ts), where each one's files are, and the one model loaded at a time.
 */
import type * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import type { ByteSource } from '../data/digits';
import type { ModelCard } from '../events';
import { loadZooCards, type ZooCardWithPath } from './builtin';
import type { CustomCardFields } from './custom';
import { loadLayersModelFrom } from './load';

type Loaded = { id: string; model: Promise<tf.LayersModel> };

export class ModelRegistry {
  private zoo: ZooCardWithPath[] | null = null;
  /** Where each outside model's files are (kept in memory for an upload), by card id. */
  private customSources = new Map<string, ByteSource>();
  /**
   * The one loaded model, as a promise so that concurrent jobs (an FP32 evaluation and a
   * quantization started together) share one load instead of disposing each other's model.
   */
  private loaded: Loaded | null = null;

  constructor(private readonly source: ByteSource) {}

  async cards(): Promise<ModelCard[]> {
    return (await this.entries()).map(({ path: _path, ...card }) => card);
  }

  /** Lists an outside model (already through the gate) beside the zoo under a new id. */
  async add(source: ByteSource, path: string, fields: CustomCardFields): Promise<ModelCard> {
    await this.entries();
    // Id and list change in one synchronous step, so two uploads at once never clash.
    const card: ModelCard = { id: `custom-${this.customSources.size + 1}`, ...fields };
    this.customSources.set(card.id, source);
    this.zoo = [...(this.zoo ?? []), { ...card, path }];
    return card;
  }

  /** The listed card (with its path) for a model id; UNKNOWN_MODEL for any other id. */
  async entry(id: string): Promise<ZooCardWithPath> {
    const entry = (await this.entries()).find((m) => m.id === id);
    if (!entry) throw playgroundError('UNKNOWN_MODEL', { id });
    return entry;
  }

  /** The model for an id, loading it (and freeing the previous one) unless it is the loaded one. */
  async model(id: string): Promise<tf.LayersModel> {
    if (this.loaded?.id === id) return this.loaded.model;
    const entry = await this.entry(id);
    if (this.loaded?.id === id) return this.loaded.model; // loaded while we looked it up
    const model = loadLayersModelFrom(this.customSources.get(id) ?? this.source, entry.path);
    void this.replaceLoaded({ id, model });
    return model;
  }

  /** Frees the loaded model (once its load has settled). */
  dispose(): Promise<void> {
    return this.replaceLoaded(null);
  }

  /** Swaps the loaded model, disposing the previous one once its load settles. */
  private replaceLoaded(next: Loaded | null): Promise<void> {
    const previous = this.loaded;
    this.loaded = next;
    return (previous?.model ?? Promise.resolve(null)).then(
      (m) => {
        m?.dispose();
      },
      () => undefined,
    );
  }

  private async entries(): Promise<ZooCardWithPath[]> {
    this.zoo ??= await loadZooCards(this.source);
    return this.zoo;
  }
}
