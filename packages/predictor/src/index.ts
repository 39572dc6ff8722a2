import { stageModule } from '@kolmo/core';
import { adaptiveBytesPredictor } from './adaptive-bytes-predictor.ts';
import { ngramPredictor } from './ngram/index.ts';

export { AdaptiveSymbolPredictor, adaptiveBytesPredictor, dirichletCodeLength } from './adaptive-bytes-predictor.ts';
export * from './ngram/index.ts';

/** The built-in predictors, registered through the same plugin mechanism as any other. */
export default stageModule(adaptiveBytesPredictor, ngramPredictor);
