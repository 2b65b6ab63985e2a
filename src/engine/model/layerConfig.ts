/**
 * Typed readers over `layer.getConfig()` (a loose JSON dict). TF.js layer constructors have
 * already normalised these fields, so a value of the wrong kind means a layer variant the
 * IR does not model: it is reported as UNSUPPORTED_LAYER naming the layer and the field.
 */
import type * as tf from '@tensorflow/tfjs';
import { playgroundError } from '@/config/errors';
import type { ActivationFn, Padding, Pair } from './ir';

export type LayerConfig = tf.serialization.ConfigDict;

export class ConfigReader {
  constructor(
    readonly layer: string,
    readonly className: string,
    private readonly cfg: LayerConfig,
  ) {}

  /** The coded error for this layer, with a detail such as `dataFormat=channelsFirst`. */
  unsupported(detail?: string): Error {
    const type = detail === undefined ? this.className : `${this.className}(${detail})`;
    return playgroundError('UNSUPPORTED_LAYER', { layer: this.layer, type });
  }

  raw(key: string): unknown {
    return this.cfg[key];
  }

  num(key: string, fallback?: number): number {
    const v = this.cfg[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.unsupported(`${key}=${String(v)}`);
    return v;
  }

  pair(key: string): Pair {
    const v = this.cfg[key];
    if (typeof v === 'number') return [v, v];
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) {
      return [v[0] as number, v[1] as number];
    }
    throw this.unsupported(`${key}=${JSON.stringify(v)}`);
  }

  /** Element `i` of a nested pair such as ZeroPadding2D's [[top, bottom], [left, right]]. */
  pairAt(key: string, i: number): Pair {
    const v = this.cfg[key];
    const inner: unknown = Array.isArray(v) ? v[i] : undefined;
    if (Array.isArray(inner) && inner.length === 2 && inner.every((x) => typeof x === 'number')) {
      return [inner[0] as number, inner[1] as number];
    }
    throw this.unsupported(`${key}=${JSON.stringify(v)}`);
  }

  padding(): Padding {
    const v = this.cfg['padding'];
    if (v === 'valid' || v === 'same') return v;
    throw this.unsupported(`padding=${String(v)}`);
  }

  /** Only NHWC: the CPU and WASM backends have no NCHW convolutions. */
  channelsLast(): void {
    const v = this.cfg['dataFormat'] ?? 'channelsLast';
    if (v !== 'channelsLast') throw this.unsupported(`dataFormat=${String(v)}`);
  }

  activation(key = 'activation'): ActivationFn {
    const v = this.cfg[key] ?? 'linear';
    const known: readonly string[] = ['linear', 'relu', 'relu6', 'softmax', 'tanh', 'sigmoid'];
    if (typeof v === 'string' && known.includes(v)) return v as ActivationFn;
    throw this.unsupported(`${key}=${String(v)}`);
  }

  /** Softmax / BN / Concatenate axis, accepted only when it is the last one (NHWC channels). */
  lastAxis(key: string, rank: number, fallback: number): void {
    const axis = this.num(key, fallback);
    if (axis !== -1 && axis !== rank - 1) throw this.unsupported(`${key}=${axis}`);
  }
}
