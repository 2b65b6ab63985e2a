import { describe, expect, it } from 'vitest';
import { MAX_MODEL_BYTES } from '@/config/limits';
import { uploadSource, type UploadedFile } from './upload';

const text = (s: string) => new TextEncoder().encode(s);
const file = (name: string, bytes: Uint8Array | string): UploadedFile => ({
  name,
  bytes: typeof bytes === 'string' ? text(bytes) : bytes,
});
const MODEL = '{"modelTopology":{},"weightsManifest":[]}';

describe('uploadSource (which uploaded file is what)', () => {
  it('takes the only .json as model.json and serves weights by base name', async () => {
    const w = new Uint8Array([1, 2, 3, 4]);
    const { modelJson, source } = uploadSource([file('weights.bin', w), file('net.json', '{')]);
    expect(modelJson).toBe('net.json'); // chosen even though it does not parse: load.ts says why
    expect(Array.from(await source('weights.bin'))).toEqual([1, 2, 3, 4]);
    expect(Array.from(await source('some/dir/weights.bin'))).toEqual([1, 2, 3, 4]);
    await expect(source('group1-shard1of1.bin')).rejects.toThrow('"group1-shard1of1.bin"');
  });

  it('among several .json files, takes the one that parses as a model', () => {
    const picked = uploadSource([
      file('encodings.json', '{"version":"0.6.1"}'),
      file('model.json', MODEL),
    ]);
    expect(picked.modelJson).toBe('model.json');
  });

  it('names the files when none or several could be the model', () => {
    expect(() => uploadSource([file('weights.bin', 'x')])).toThrow(
      'None of the files ("weights.bin") is a model.json',
    );
    expect(() => uploadSource([])).toThrow('None of the files (none)');
    expect(() => uploadSource([file('a.json', '{}'), file('b.json', '[1]')])).toThrow(
      'None of the files ("a.json", "b.json")',
    );
    expect(() => uploadSource([file('a.json', MODEL), file('b.JSON', MODEL)])).toThrow(
      'Several files look like a model.json ("a.json", "b.JSON")',
    );
  });

  it('refuses two files of one name', () => {
    expect(() => uploadSource([file('w.bin', 'a'), file('w.bin', 'b')])).toThrow(
      'Two files are named "w.bin"',
    );
  });

  it('refuses more than the limit in all, naming the total, the largest file and the limit', () => {
    const files = [file('model.json', MODEL), file('big.bin', new Uint8Array(60))];
    expect(() => uploadSource(files, 64)).toThrow(
      'The files hold 101 bytes in all (largest: "big.bin"); the limit for an uploaded model is 64 bytes',
    );
    expect(uploadSource(files, 101).modelJson).toBe('model.json');
    expect(MAX_MODEL_BYTES).toBe(64 * 2 ** 20);
  });
});
