import { stageModule } from '@kolmo/core';
import { adaptiveBytesPredictor } from './adaptive-bytes-predictor.ts';
import { byteCmPredictor } from './byte-cm/index.ts';
import { ngramPredictor } from './ngram/index.ts';

export { AdaptiveSymbolPredictor, adaptiveBytesPredictor, dirichletCodeLength } from './adaptive-bytes-predictor.ts';
export * from './ngram/index.ts';
export * from './byte-cm/index.ts';

/** The generic predictors, registered through the same plugin mechanism as any other (the SK predictors are in `@kolmo/syntax-knowledge`). */
export default stageModule(adaptiveBytesPredictor, ngramPredictor, byteCmPredictor);
