import type { SearchCost } from '@/store/types';
import { compact } from './format';

/** Model size in bits as kB (1 kB = 8,000 bits). @example sizeText(134_784) === '16.8 kB' */
export const sizeText = (bits: number) => `${(bits / 8000).toFixed(1)} kB`;

/** A configuration's cost in one line: BOPs, weight size, widest accumulator needed. */
export function costText(c: SearchCost): string {
  const acc = c.maxAccumulatorBits === null ? 'float' : `${c.maxAccumulatorBits}-bit accumulator`;
  return `${compact(c.bops)}BOPs, ${sizeText(c.sizeBits)} weights, ${acc}`;
}
