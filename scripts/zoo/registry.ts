/** The zoo in index order. */
import { cnnSpec } from './cnn';
import { dwsepSpec } from './dwsep';
import { mlpSpec } from './mlp';
import { resnetSpec } from './resnet';
import type { ZooSpec } from './spec';
import { spiralSpec } from './spiral';

export const ZOO_SPECS: readonly ZooSpec[] = [mlpSpec, cnnSpec, dwsepSpec, resnetSpec, spiralSpec];
