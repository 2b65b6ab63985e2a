/**
 * A raw i32 strided copy: out[i] = Src[⌊i / width⌋ · stride + offset + i mod width]. Splits the
 * accumulate programs' [numOut, ACC_RECORD] records into acc and stats. TF.js's own Slice
 * would read through the f32 getters and lose int32 bits above 2^24 (tfjs-notes.md §0.3).
 */
import { webgpu_util, type WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';

export class IntGatherProgram implements WebGPUProgram {
  variableNames = ['Src'];
  outputShape: number[];
  shaderKey = 'qIntGather';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  uniforms = 'gWidth : i32, gStride : i32, gOffset : i32,';

  constructor(size: number) {
    this.outputShape = [size];
    this.dispatchLayout = webgpu_util.flatDispatchLayout(this.outputShape);
    this.dispatch = webgpu_util.computeDispatch(
      this.dispatchLayout,
      this.outputShape,
      this.workgroupSize,
    );
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let row = index / uniforms.gWidth;
    result[index] = Src[row * uniforms.gStride + uniforms.gOffset + index % uniforms.gWidth];
  }`;
  }
}
