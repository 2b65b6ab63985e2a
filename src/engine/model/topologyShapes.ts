/**
 * Output shapes of an untrusted Keras topology, from its JSON alone (no TF.js), for the
 * supported layers (importLayer.ts): what topology.ts needs to check every weight TF.js would
 * allocate against the manifest before TF.js allocates it. Sequential lists run in order;
 * Functional layers read `inbound_nodes` ([[[layer, nodeIndex, tensorIndex, kwargs], ...]]).
 * Shapes exclude the batch dimension. Throws a message (string) on anything it cannot follow.
 */
export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export type Dims = number[];

const num = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw `${what} must be a whole number, not ${JSON.stringify(v)?.slice(0, 40)}`;
  return v;
};
const pair = (v: unknown, what: string): [number, number] => {
  if (typeof v === 'number') return [num(v, what), num(v, what)];
  if (Array.isArray(v) && v.length === 2) return [num(v[0], what), num(v[1], what)];
  throw `${what} must be a number or a pair`;
};

function conv(x: Dims, c: Json, kernel: unknown, channels: number): Dims {
  const [h = 0, w = 0] = x;
  const [kh, kw] = pair(kernel, 'kernel_size');
  const [sh, sw] = pair(c['strides'] ?? 1, 'strides');
  const [dh, dw] = pair(c['dilation_rate'] ?? 1, 'dilation_rate');
  if (sh < 1 || sw < 1 || dh < 1 || dw < 1) throw 'strides and dilation must be at least 1';
  const out = (n: number, k: number, s: number, d: number) =>
    c['padding'] === 'same'
      ? Math.ceil(n / s)
      : Math.max(0, Math.floor((n - (k - 1) * d - 1) / s) + 1);
  return [out(h, kh, sh, dh), out(w, kw, sw, dw), channels];
}

/** The output shape of one layer call; `ins` are its inputs' shapes. */
export function outputShape(type: string, c: Json, ins: Dims[]): Dims {
  const x = ins[0] ?? [];
  const last = x[x.length - 1] ?? 0;
  switch (type) {
    case 'Dense':
      return [...x.slice(0, -1), num(c['units'], 'units')];
    case 'Conv2D':
      return conv(x, c, c['kernel_size'], num(c['filters'], 'filters'));
    case 'DepthwiseConv2D':
      return conv(
        x,
        c,
        c['kernel_size'],
        last * num(c['depth_multiplier'] ?? 1, 'depth_multiplier'),
      );
    case 'SeparableConv2D':
      return conv(x, c, c['kernel_size'], num(c['filters'], 'filters'));
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      const pool = c['pool_size'] ?? 2;
      return conv(x, { ...c, strides: c['strides'] ?? pool, dilation_rate: 1 }, pool, last);
    }
    case 'GlobalAveragePooling2D':
      return [last];
    case 'Flatten':
      return [x.reduce((a, b) => a * b, 1)];
    case 'Reshape': {
      const t = c['target_shape'];
      if (!Array.isArray(t)) throw 'target_shape must be a list';
      const dims = t.map((v) => (v === -1 ? -1 : num(v, 'target_shape')));
      const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const total = x.reduce((a, b) => a * b, 1);
      return dims.map((d) => (d === -1 ? Math.floor(total / Math.max(1, known)) : d));
    }
    case 'ZeroPadding2D': {
      const p = c['padding'] ?? 1;
      const [[t, b], [l, r]] =
        Array.isArray(p) && Array.isArray(p[0])
          ? [pair(p[0], 'padding'), pair(p[1], 'padding')]
          : (() => {
              const [ph, pw] = pair(p, 'padding');
              return [
                [ph, ph],
                [pw, pw],
              ];
            })();
      return [(x[0] ?? 0) + t + b, (x[1] ?? 0) + l + r, x[2] ?? 0];
    }
    case 'Concatenate': {
      const axis = typeof c['axis'] === 'number' ? c['axis'] : -1;
      const at = axis < 0 ? x.length + axis : axis - 1;
      const out = [...x];
      out[at] = ins.reduce((s, d) => s + (d[at] ?? 0), 0);
      return out;
    }
    default:
      return x; // InputLayer is seeded by the caller; BN, activations, Add, Dropout keep the shape
  }
}

export interface LayerShapes {
  /** Input shape of each call of the layer (Functional: one per inbound node). */
  inputs: Dims[][];
  outputs: Dims[];
}

/** Shapes of every layer call, by layer name. */
export function inferShapes(
  layers: readonly Json[],
  functional: boolean,
): Map<string, LayerShapes> {
  const shapes = new Map<string, LayerShapes>();
  let previous: Dims | null = null;
  for (const l of layers) {
    const type = String(l['class_name'] ?? '');
    const c = isObj(l['config']) ? l['config'] : {};
    const name = String(c['name'] ?? l['name'] ?? '');
    const seed = c['batch_input_shape'] ?? c['batchInputShape'];
    const entry: LayerShapes = { inputs: [], outputs: [] };
    shapes.set(name, entry);
    const calls: Dims[][] = [];
    if (type === 'InputLayer' || (!functional && previous === null)) {
      if (!Array.isArray(seed)) throw `layer "${name}" has no batch_input_shape`;
      const dims = seed.slice(1).map((v) => num(v, 'batch_input_shape'));
      if (type === 'InputLayer') {
        entry.outputs.push(dims);
        previous = dims;
        continue;
      }
      calls.push([dims]);
    } else if (!functional) {
      calls.push([previous ?? []]);
    } else {
      const nodes = l['inbound_nodes'];
      // TF.js loops forever on a call it cannot complete (measured: an empty inbound node hung
      // the load), so every call must read 1 tensor, or 2+ for Add/Concatenate.
      if (!Array.isArray(nodes) || nodes.length === 0) throw `layer "${name}" has no inbound_nodes`;
      const merge = type === 'Add' || type === 'Concatenate';
      for (const node of nodes) {
        if (!Array.isArray(node)) throw `layer "${name}": an inbound node is not a list`;
        if (merge ? node.length < 2 : node.length !== 1)
          throw `layer "${name}" (${type}) is called on ${node.length} tensors`;
        calls.push(
          node.map((ref) => {
            if (!Array.isArray(ref) || ref[2] !== 0)
              throw `layer "${name}": a bad inbound reference`;
            const src = shapes.get(String(ref[0]))?.outputs[
              typeof ref[1] === 'number' ? ref[1] : -1
            ];
            if (!src)
              throw `layer "${name}" reads "${String(ref[0]).slice(0, 40)}", which comes later or does not exist`;
            return src;
          }),
        );
      }
    }
    for (const ins of calls) {
      entry.inputs.push(ins);
      entry.outputs.push(outputShape(type, c, ins));
    }
    previous = entry.outputs[entry.outputs.length - 1] ?? previous;
  }
  return shapes;
}
