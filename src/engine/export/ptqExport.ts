/**
 * The quantized model after PTQ as the same three files QAT exports (qatExport.ts): model.json +
 * weights.bin (the prepared, folded and rewritten IR as Keras layers, irToLayers.ts) and the
 * run's encodings (AIMET layout). What the simulation changed beyond range setting goes into
 * the weights, as AIMET's own export does (`apply_adaround`, bias correction): a kernel whose
 * quantized values are not round-to-nearest of its float values (AdaRound, paper 3.4) is
 * written as those quantized values (on the grid, so fake quant leaves them as they are), and a
 * corrected bias (paper 3.3) replaces the float one. Loading the files and quantizing with the
 * encodings fixed (`quantize(config, { fixedEncodings })`) reproduces the run's accuracy.
 */
import { fakeQuant } from '@/quant/affine';
import type { QuantResult, QatExportFiles } from '../events';
import type { IrNode, ModelIR } from '../model/ir';
import type { PreparedWeights } from '../quantsim/quantSim';
import { toAimetFile } from './aimetEncodings';
import { irToLayersArtifacts } from './irToLayers';

export type ExportFiles = QatExportFiles;

const sameValues = (a: Float32Array, b: Float32Array) => a.every((v, i) => v === b[i]);

/** The prepared IR with AdaRound kernels and corrected biases written into its weights. */
export function deployedIr(prepared: Pick<PreparedWeights, 'ir' | 'weights'>): ModelIR {
  const nodes = prepared.ir.nodes.map((node): IrNode => {
    const w = prepared.weights.get(node.name);
    const kernel = node.weights.kernel;
    if (!w || !kernel) return node;
    const nearest = sameValues(fakeQuant(kernel.values, w.encodings), w.quantized);
    const weights = { ...node.weights };
    if (!nearest) weights.kernel = { values: w.quantized.slice(), shape: kernel.shape };
    if (w.bias && node.weights.bias)
      weights.bias = { values: w.bias.slice(), shape: node.weights.bias.shape };
    return { ...node, weights } as IrNode;
  });
  return { ...prepared.ir, nodes };
}

/**
 * Throws EXPORT_UNSUPPORTED (irToLayers.ts) for a model Keras cannot express, e.g. CLE with
 * ReLU6 (per-channel bounds).
 * @example const files = await ptqExportFiles(prepared, result); // 3 files, as exportQat's
 */
export async function ptqExportFiles(
  prepared: Pick<PreparedWeights, 'ir' | 'weights'>,
  result: QuantResult,
): Promise<ExportFiles> {
  const { modelJson, weightsBin } = await irToLayersArtifacts(deployedIr(prepared));
  return {
    modelJson: JSON.stringify(modelJson),
    weightsBin,
    encodingsJson: `${JSON.stringify(toAimetFile(result), null, 2)}\n`,
  };
}
