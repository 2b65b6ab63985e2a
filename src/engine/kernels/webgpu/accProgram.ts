/**
 * The base of the three integer accumulate WebGPU programs: one invocation per output writes
 * ACC_RECORD i32 words (acc + stats) into a [numOut, ACC_RECORD] buffer that gather programs
 * split afterwards. Subclasses supply the summation loop (`body`), in the same order as the
 * host kernels in ../cpu so that saturate agrees bit for bit. Everything baked into the WGSL
 * (kernel, overflow mode, order) is in shaderKey (tfjs-notes.md §1.2).
 */
import { webgpu_util, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import type { Overflow } from '@/quant/intArith';
import { ACC_RECORD, ACC_UNIFORMS, accWgsl } from './accWgsl';

export abstract class IntAccProgram implements WebGPUProgram {
  variableNames = ['X', 'W', 'WZp', 'Bias'];
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  uniforms = ACC_UNIFORMS;

  constructor(
    numOut: number,
    private readonly overflow: Overflow,
    key: string,
  ) {
    this.outputShape = [numOut, ACC_RECORD];
    this.dispatchLayout = { x: [0] };
    this.dispatch = webgpu_util.computeDispatch(this.dispatchLayout, [numOut], this.workgroupSize);
    this.shaderKey = `qInt_${key}_${overflow}`;
  }

  /** WGSL statements that step `a` (a var Acc) through output `index`'s products. */
  protected abstract body(): string;

  getUserCode(): string {
    return `
  ${accWgsl(this.overflow)}
  fn main(index : i32) {
    if (index >= uniforms.numOut) { return; }
    ${this.body()}
    accWrite(index, a);
  }`;
  }
}
