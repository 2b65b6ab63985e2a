import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { foldModel } from '../model/fold';
import { importModel } from '../model/graph';
import { cnn, dwsep, functional } from '../model/testModels';
import { activationQuantizers, weightQuantizers } from './placement';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('quantizer placement (paper §1.6, §1.8–1.10), checked by hand', () => {
  it('cnn, unfolded vs folded: after conv/BN/ReLU, average pool and the logits; not max pool, flatten, softmax', async () => {
    const model = cnn();
    const ir = await importModel(model);
    expect(activationQuantizers(ir)).toEqual([
      'image',
      'c1',
      'bn1',
      'r1',
      'c2',
      'bn2',
      'r2',
      'ap',
      'out/preact',
    ]);
    const folded = foldModel(ir).ir;
    expect(activationQuantizers(folded)).toEqual(['image', 'c1', 'c2', 'ap', 'out/preact']);
    expect(activationQuantizers(folded, { avgPool: false })).toEqual([
      'image',
      'c1',
      'c2',
      'out/preact',
    ]);
    expect(weightQuantizers(folded)).toEqual([
      { node: 'c1', weight: 'kernel', channels: 4 },
      { node: 'c2', weight: 'kernel', channels: 4 },
      { node: 'out/preact', weight: 'kernel', channels: 3 },
    ]);
    model.dispose();
  });

  it('functional, folded: separable halves, shared calls, Add, standalone BN, Concatenate, tanh', async () => {
    const model = functional();
    const folded = foldModel(await importModel(model)).ir;
    expect(activationQuantizers(folded)).toEqual([
      'x',
      'sep/depthwise',
      'sep',
      'shared#0',
      'shared#1',
      'add',
      'add_bn',
      'relu_conv',
      'late_bn',
      'cat',
      'gap',
      'tanh',
      'logits',
    ]);
    model.dispose();
  });

  it('depthwise kernels have in·mult output channels', async () => {
    const model = dwsep();
    const folded = foldModel(await importModel(model)).ir;
    expect(weightQuantizers(folded).map((s) => [s.node, s.channels])).toEqual([
      ['stem', 4],
      ['dw', 8],
      ['pw', 6],
      ['logits', 3],
    ]);
    model.dispose();
  });
});
