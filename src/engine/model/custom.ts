/**
 * Everything a model from outside the zoo must pass before it is listed: the file gate
 * (load.ts), one input and one output fitting one of the app's data sets, and the IR importer
 * (unsupported layers). Running the importer here means an unsupported layer is reported when
 * the file is given, not at the first run; the loaded model is disposed afterwards so a model
 * still in use by a running job is never touched.
 */
import type * as tf from '@tensorflow/tfjs';
import { type ErrorCode, PlaygroundError, playgroundError } from '@/config/errors';
import type { ByteSource } from '../data/digits';
import type { DatasetId, ModelCard } from '../events';
import { importModel } from './graph';
import { loadLayersModelFrom } from './load';
import { modelCost } from './macs';

/** What a listed outside model's card says, apart from its id. */
export type CustomCardFields = Omit<ModelCard, 'id'>;

const DATASETS: { id: DatasetId; input: number[]; classes: number }[] = [
  { id: 'digits', input: [28, 28, 1], classes: 10 },
  { id: 'spiral', input: [2], classes: 2 },
];

const shapeText = (shape: readonly (number | null)[]) =>
  `[${shape.map((d) => (d === null ? 'null' : String(d))).join(',')}]`;

/** The data set whose input and class count match the model's, or MODEL_DATASET. */
function datasetOf(file: string, model: tf.LayersModel): DatasetId {
  const input = model.inputs.length === 1 ? (model.inputs[0]?.shape.slice(1) ?? []) : null;
  const output = model.outputs.length === 1 ? (model.outputs[0]?.shape.slice(1) ?? []) : null;
  const match = DATASETS.find(
    (d) =>
      input !== null &&
      output !== null &&
      shapeText(input) === shapeText(d.input) &&
      shapeText(output) === shapeText([d.classes]),
  );
  if (match) return match.id;
  const many = (n: number) => `${n} tensors`;
  throw playgroundError('MODEL_DATASET', {
    file,
    input: input ? shapeText(input) : many(model.inputs.length),
    output: output ? shapeText(output) : many(model.outputs.length),
  });
}

/** Codes whose messages name a layer or weight but not the file; the rest name their file. */
const UNNAMED: ReadonlySet<ErrorCode> = new Set(['UNSUPPORTED_LAYER', 'WEIGHTS_DTYPE']);

/** Prefixes the model file's name to a gate error that does not name a file. */
function naming(file: string, e: unknown): unknown {
  if (!(e instanceof PlaygroundError) || !UNNAMED.has(e.code)) return e;
  return new PlaygroundError(e.code, `${file}: ${e.message}`);
}

/**
 * Validates `path` from `source` completely and describes it as a card; throws the first
 * fault as a PlaygroundError naming the file. Nothing stays loaded.
 */
export async function inspectCustomModel(
  source: ByteSource,
  path: string,
): Promise<CustomCardFields> {
  const rethrow = (e: unknown) => {
    throw naming(path, e);
  };
  const model = await loadLayersModelFrom(source, path).catch(rethrow);
  try {
    const dataset = datasetOf(path, model);
    const ir = await importModel(model).catch(rethrow);
    return {
      title: path,
      purpose: 'A model loaded from your own files.',
      dataset,
      params: model.countParams(),
      macsPerImage: modelCost(ir).macs,
      fp32TestAccuracy: 0,
      testCount: 0, // the session fills in its data set's size
      layers: model.layers.map((l) => ({ name: l.name, type: l.getClassName() })),
      uploaded: true,
    };
  } finally {
    model.dispose();
  }
}
