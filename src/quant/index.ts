/**
 * Public API of the pure quantization math (no TF.js, DOM or React: runs in Node, a browser
 * and a worker). The engine normally needs only resolve.ts; the rest is for charts, tests and
 * custom pipelines. Conventions: docs/quantization-conventions.md.
 */
export * from './affine';
export * from './aimet';
export * from './encodings';
export * from './errors';
export * from './granularity';
export * from './grid';
export * from './metrics';
export * from './random';
export * from './resolve';
export * from './rounding';
export * from './spec';
export * from './tensorView';
export * from './types';
export * from './range/bn';
export * from './range/crossEntropy';
export * from './range/histogramObserver';
export * from './range/minMax';
export * from './range/mse';
export * from './range/observers';
export * from './range/percentile';
export * from './range/search';
