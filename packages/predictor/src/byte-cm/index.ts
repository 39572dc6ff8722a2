// The byte-cm predictor's public API (the package index re-exports all of it).
export { ByteCmCodec, byteCmProbabilityBits, scoreByte } from './byte-cm-codec.ts';
export { ByteCmModel, defaultByteCmOptions, type ByteCmOptions } from './byte-cm-model.ts';
export { ByteCmPredictor } from './byte-cm-predictor.ts';
export { byteCmPredictor, byteCmPredictorConfig, type ByteCmPredictorConfig } from './byte-cm-stage.ts';
