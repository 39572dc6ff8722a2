import { fileURLToPath } from 'node:url';
import { loadPlugins, type Predictor, type StageContext, type StageDescriptor, type TokenBatch } from '@kolmo/core';
import { predictorByteModel } from './byte-model.ts';

/**
 * The built-in predictors for the coder's tests, loaded by package name through the plugin loader, as the CLI
 * loads them. A static import would make @kolmo/coder and @kolmo/predictor depend on each other (the predictor
 * tests use the range coder), which the workspace's module boundaries forbid.
 */
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const builtinStages = await loadPlugins([{ name: '@kolmo/predictor', baseDir: repositoryRoot }]);

export const adaptiveBytesStage = builtinStages.get('predictor', 'adaptive-bytes')!.descriptor as StageDescriptor<'predictor'>;

/** adaptive-bytes as a byte model (what compressBytes and decompressBytes use). */
export const adaptiveBytesModel = predictorByteModel(adaptiveBytesStage);

const overBytes = { upstream: { tokenizer: { vocabularySize: 256 } } } as StageContext;

/** A fresh adaptive-bytes predictor over the 256 byte values, with Dirichlet prior `prior` (KT by default). */
export async function createAdaptiveBytes(prior = 0.5): Promise<Predictor> {
  return adaptiveBytesStage.create(adaptiveBytesStage.config.parse({ prior }), overBytes);
}

/** Σ −log2 q of adaptive-bytes on `data`: the ideal code length the range coder is measured against. */
export async function adaptiveBytesIdealBits(data: Uint8Array, prior = 0.5): Promise<number> {
  const predictor = await createAdaptiveBytes(prior);
  return (await predictor.score({ length: data.length, ids: Int32Array.from(data) } as TokenBatch)).reduce((a, b) => a + b, 0);
}
