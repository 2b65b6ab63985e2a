/**
 * Checks an untrusted model.json's layers BEFORE TF.js builds them: TF.js allocates (and
 * initialises) every weight from the layer configs first and compares them with the manifest
 * only afterwards, so a config saying `units: 1000000` took 15 s and 3.5 GB before failing
 * (measured). Here every layer must be a supported class (importLayer.ts), every layer call's
 * output must stay under MAX_ELEMENTS values per example, and every weight a layer would create
 * must have exactly the shape of its manifest entry, whose bytes load.ts has already bounded and
 * matched to the files: so TF.js never allocates more than the files hold.
 */
import { playgroundError } from '@/config/errors';
import { SUPPORTED_LAYERS } from './importLayer';
import type { ModelJson } from './load';
import { type Dims, inferShapes, isObj, type Json } from './topologyShapes';

/** Values per example any layer may output (the zoo's largest: cnn's 28·28·16 = 12,544). */
export const MAX_ELEMENTS = 1 << 20;

/** Config fields TF.js reads with JavaScript truthiness or as numbers: their types must be right. */
const BOOLEANS = ['use_bias', 'center', 'scale', 'trainable', 'sparse'];
const NUMBERS = [
  'units',
  'filters',
  'depth_multiplier',
  'epsilon',
  'momentum',
  'rate',
  'max_value',
];
const STRINGS: Record<string, readonly string[] | null> = {
  padding: ['valid', 'same'],
  data_format: ['channels_last'],
  activation: null,
  dtype: ['float32'],
};

function checkFieldTypes(name: string, c: Json, fault: (d: string) => Error): void {
  const bad = (key: string, want: string) =>
    fault(
      `layer "${name}": config.${key} must be ${want}, not ${JSON.stringify(c[key])?.slice(0, 40)}`,
    );
  for (const k of BOOLEANS)
    if (k in c && c[k] !== null && typeof c[k] !== 'boolean') throw bad(k, 'true or false');
  for (const k of NUMBERS)
    if (k in c && c[k] !== null && (typeof c[k] !== 'number' || !Number.isFinite(c[k])))
      throw bad(k, 'a number');
  for (const [k, allowed] of Object.entries(STRINGS)) {
    if (!(k in c) || (k === 'padding' && Array.isArray(c[k])) || typeof c[k] === 'undefined')
      continue;
    if (k === 'padding' && typeof c[k] === 'number') continue; // ZeroPadding2D
    if (typeof c[k] !== 'string' || (allowed && !allowed.includes(c[k] as string)))
      throw bad(k, allowed ? allowed.join(' or ') : 'a string');
  }
}

/** The layer list of a Sequential or Functional topology (plain or under `model_config`). */
function layersOf(topology: Json): { layers: Json[]; functional: boolean } | null {
  const model = isObj(topology['model_config']) ? topology['model_config'] : topology;
  const config = isObj(model) ? model['config'] : undefined;
  const list = Array.isArray(config) ? config : isObj(config) ? config['layers'] : undefined;
  if (!Array.isArray(list)) return null;
  const layers = list.filter(isObj);
  return { layers, functional: layers.some((l) => Array.isArray(l['inbound_nodes'])) };
}

/** The weights (name suffix → shape) a supported layer creates for an input of shape `x`. */
function expectedWeights(type: string, c: Json, x: Dims): [string, Dims][] {
  const inC = x[x.length - 1] ?? 0;
  const k = c['kernel_size'];
  const [kh, kw] =
    typeof k === 'number' ? [k, k] : Array.isArray(k) ? [Number(k[0]), Number(k[1])] : [0, 0];
  const bias = (n: number): [string, Dims][] => (c['use_bias'] === false ? [] : [['bias', [n]]]);
  const mult = Number(c['depth_multiplier'] ?? 1);
  switch (type) {
    case 'Dense':
      return [['kernel', [inC, Number(c['units'])]], ...bias(Number(c['units']))];
    case 'Conv2D':
      return [['kernel', [kh, kw, inC, Number(c['filters'])]], ...bias(Number(c['filters']))];
    case 'DepthwiseConv2D':
      return [['depthwise_kernel', [kh, kw, inC, mult]], ...bias(inC * mult)];
    case 'SeparableConv2D':
      return [
        ['depthwise_kernel', [kh, kw, inC, mult]],
        ['pointwise_kernel', [1, 1, inC * mult, Number(c['filters'])]],
        ...bias(Number(c['filters'])),
      ];
    case 'BatchNormalization':
      return [
        ...(c['scale'] === false ? [] : ([['gamma', [inC]]] as [string, Dims][])),
        ...(c['center'] === false ? [] : ([['beta', [inC]]] as [string, Dims][])),
        ['moving_mean', [inC]],
        ['moving_variance', [inC]],
      ];
    default:
      return [];
  }
}

/** A Functional model's input_layers / output_layers must name calls that exist. */
function checkEnds(
  topology: Json,
  shapes: ReturnType<typeof inferShapes>,
  fault: (detail: string) => Error,
): void {
  const model = isObj(topology['model_config']) ? topology['model_config'] : topology;
  const config = isObj(model) && isObj(model['config']) ? model['config'] : {};
  for (const key of ['input_layers', 'output_layers']) {
    const refs = config[key];
    if (!Array.isArray(refs) || refs.length === 0) throw fault(`${key} is missing`);
    for (const r of refs) {
      const ok =
        Array.isArray(r) &&
        typeof r[0] === 'string' &&
        typeof r[1] === 'number' &&
        r[2] === 0 &&
        shapes.get(r[0])?.outputs[r[1]] !== undefined;
      if (!ok)
        throw fault(`${key} names ${JSON.stringify(r)?.slice(0, 60)}, which is not a layer call`);
    }
  }
}

export function checkTopology(file: string, json: ModelJson): void {
  const fault = (detail: string) => playgroundError('MODEL_JSON_SHAPE', { file, detail });
  const found = layersOf(json.modelTopology);
  if (!found) throw fault('modelTopology has no layer list');
  const names = new Set<string>();
  for (const l of found.layers) {
    const type = typeof l['class_name'] === 'string' ? l['class_name'] : '';
    const c = isObj(l['config']) ? l['config'] : {};
    const name = String(c['name'] ?? l['name'] ?? '?').slice(0, 80);
    // TF.js keeps only the last of two same-named layers and leaks the other's weights, and it
    // loops forever on a Functional reference to a name no layer has (measured: a Flatten
    // without config.name hung the load), so names must be present, agree and be unique.
    if (typeof c['name'] !== 'string' || (found.functional && l['name'] !== c['name']))
      throw fault(`a ${type || 'layer'} has no name, or its name and config.name differ`);
    if (names.has(name)) throw fault(`two layers are named "${name}"`);
    names.add(name);
    if (!SUPPORTED_LAYERS.has(type))
      throw playgroundError('UNSUPPORTED_LAYER', {
        layer: name,
        type: type.slice(0, 80) || '(none)',
      });
    checkFieldTypes(name, c, fault);
  }
  let shapes: ReturnType<typeof inferShapes>;
  try {
    shapes = inferShapes(found.layers, found.functional);
  } catch (e) {
    throw fault(typeof e === 'string' ? e : String(e));
  }
  if (found.functional) checkEnds(json.modelTopology, shapes, fault);
  const specs = new Map(json.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w]));
  const specOf = (layer: string, w: string) =>
    specs.get(`${layer}/${w}`) ??
    [...specs.values()].find((s) => s.name.endsWith(`/${layer}/${w}`));
  for (const l of found.layers) {
    const type = String(l['class_name']);
    const c = isObj(l['config']) ? l['config'] : {};
    const name = String(c['name'] ?? l['name'] ?? '?');
    const entry = shapes.get(name);
    for (const out of entry?.outputs ?? []) {
      const n = out.reduce((a, b) => a * b, 1);
      if (!out.every((d) => Number.isFinite(d) && d >= 0) || n > MAX_ELEMENTS)
        throw fault(
          `layer "${name.slice(0, 80)}" would output [${out.join(', ')}] values per example, over the limit of ${MAX_ELEMENTS}`,
        );
    }
    const x = entry?.inputs[0]?.[0];
    if (!x) continue;
    for (const [w, dims] of expectedWeights(type, c, x)) {
      const spec = specOf(name, w);
      if (!spec)
        throw fault(`layer "${name.slice(0, 80)}" (${type}) has no weight "${w}" in the manifest`);
      if (spec.shape.length !== dims.length || spec.shape.some((d, i) => d !== dims[i]))
        throw fault(
          `layer "${name.slice(0, 80)}" (${type}) would create ${w} of shape [${dims.join(', ')}] but the manifest has [${spec.shape.join(', ')}]`,
        );
    }
  }
}
