/**
 * The store's "upload your own model" action: reads the person's Files (File API only; the
 * drop handling lives in ui/), hands the bytes to the worker's validation gate, and on success
 * lists and selects the new card. On any failure the config, the selected model and its
 * results stay exactly as they were. Uploads live only in the worker, so the Files are kept
 * here and given to a fresh worker (a backend change) before it lists its models.
 */
import { MAX_MODEL_BYTES } from '@/config/limits';
import { errorMessages, playgroundError } from '@/config/errors';
import type { EngineHandle, ModelCard, UploadFile } from '@/worker/api';
import type { AppActions, AppState, AppStore } from './types';

export interface UploadContext {
  get(): AppStore;
  set(partial: Partial<AppState>): void;
  /** The engine the store talks to now (a backend change replaces it). */
  engine(): EngineHandle | null;
}

export type UploadActions = Pick<AppActions, 'uploadModel'> & {
  /** Lists the earlier uploads on a fresh worker, in order (so they keep their ids). */
  restore(handle: EngineHandle): Promise<ModelCard[]>;
  /** The notice for a config naming model `id`, which is not listed; `fallback` is shown. */
  missingModel(id: string, fallback: string): string;
};

export const IDLE_UPLOAD: AppState['upload'] = { status: 'idle', files: [] };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
const listed = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * The Files' bytes, refusing an oversized set before reading any of it into memory (the
 * worker checks the same limit again: it is the gate, this is only the cheap early answer).
 */
async function readFiles(files: readonly File[]): Promise<UploadFile[]> {
  const bytes = files.reduce((n, f) => n + f.size, 0);
  if (bytes > MAX_MODEL_BYTES) {
    const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
    throw playgroundError('UPLOAD_TOO_LARGE', {
      bytes,
      largest: largest.name,
      limit: MAX_MODEL_BYTES,
    });
  }
  return Promise.all(
    files.map(async (f) => {
      try {
        return { name: f.name, bytes: await f.arrayBuffer() };
      } catch (e) {
        throw playgroundError('UPLOAD_READ', { file: f.name, detail: message(e) });
      }
    }),
  );
}

export function createUploadActions(ctx: UploadContext): UploadActions {
  const { get, set } = ctx;
  /** Every accepted upload, oldest first, with the id its worker gave it. */
  let kept: { id: string; files: readonly File[] }[] = [];

  return {
    uploadModel: async (files) => {
      const handle = ctx.engine();
      const names = files.map((f) => f.name);
      if (!handle || get().engine.status !== 'ready') {
        get().notify('error', 'The engine is not ready yet; upload the model once it is.');
        return;
      }
      if (get().upload.status === 'validating') {
        get().notify('error', errorMessages.UPLOAD_BUSY({ files: listed(get().upload.files) }));
        return;
      }
      set({ upload: { status: 'validating', files: names } });
      try {
        // Buffers are transferred to the worker (detached here); the Files stay readable.
        const card = await handle.api.uploadModel(await readFiles(files));
        if (ctx.engine() !== handle) {
          throw playgroundError('UPLOAD_LOST', { file: card.title });
        }
        kept = [...kept, { id: card.id, files: [...files] }];
        set({ models: [...get().models.filter((m) => m.id !== card.id), card] });
        get().setModel(card.id); // starts the automatic PTQ run, as any model change does
        get().notify(
          'info',
          `Loaded "${card.title}" as ${card.id}. An uploaded model cannot travel in a share ` +
            `link: the link says model=${card.id}, and someone opening it gets the first zoo ` +
            `model and a notice.`,
        );
      } catch (e) {
        get().notify('error', message(e));
      } finally {
        set({ upload: IDLE_UPLOAD });
      }
    },

    restore: async (handle) => {
      const cards: ModelCard[] = [];
      for (const [i, upload] of kept.entries()) {
        if (ctx.engine() !== handle) break; // an even newer worker restores them itself
        try {
          const card = await handle.api.uploadModel(await readFiles(upload.files));
          if (card.id !== upload.id) throw new Error(`it came back as ${card.id}`);
          cards.push(card);
        } catch (e) {
          // Later uploads would get shifted ids, so they are dropped with this one.
          kept = kept.slice(0, i);
          get().notify(
            'error',
            `The uploaded model ${upload.id} was lost on the new engine (${message(e)}).`,
          );
          break;
        }
      }
      return cards;
    },

    missingModel: (id, fallback) =>
      /^custom-\d+$/.test(id)
        ? errorMessages.UNKNOWN_UPLOAD({ id, fallback })
        : `There is no built-in model "${id}"; showing ${fallback}.`,
  };
}
