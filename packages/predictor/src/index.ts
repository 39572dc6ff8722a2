import { stageModule } from '@kolmo/core';
import { adaptiveBytesPredictor } from './adaptive-bytes-predictor.ts';
import { byteCmPredictor } from './byte-cm/index.ts';
import { ngramPredictor } from './ngram/index.ts';
import { bayesOptimalPredictor, capacityLimitedPredictor, memoryBoundedPredictor, oraclePredictor } from './syntax-knowledge/index.ts';

export { AdaptiveSymbolPredictor, adaptiveBytesPredictor, dirichletCodeLength } from './adaptive-bytes-predictor.ts';
export * from './ngram/index.ts';
export * from './byte-cm/index.ts';
export * from './syntax-knowledge/index.ts';

/** The built-in predictors, registered through the same plugin mechanism as any other. */
export default stageModule(
  adaptiveBytesPredictor,
  ngramPredictor,
  byteCmPredictor,
  oraclePredictor,
  bayesOptimalPredictor,
  capacityLimitedPredictor,
  memoryBoundedPredictor,
);
