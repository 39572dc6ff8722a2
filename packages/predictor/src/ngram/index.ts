// The n-gram predictor's public API (the package index re-exports all of it).
export { createNgramModel, type NgramModelOptions } from './create-ngram-model.ts';
export { KneserNeyModel, type KneserNeyOptions } from './kneser-ney-model.ts';
export { NgramModel, type NgramShape } from './ngram-model.ts';
export { ngramDefaultPrecision, NgramPredictor } from './ngram-predictor.ts';
export { ngramModelOptions, ngramPredictor, ngramPredictorConfig, type NgramPredictorConfig } from './ngram-predictor-stage.ts';
export { NgramSymbolCodec } from './ngram-symbol-codec.ts';
export { PitmanYorModel, type PitmanYorOptions, type PitmanYorSeating } from './pitman-yor-model.ts';
export { quantizeDistribution } from './quantize-distribution.ts';
