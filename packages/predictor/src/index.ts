import { stageModule } from '@kolmo/core';
import { adaptiveBytesPredictor } from './adaptive-bytes-predictor.ts';

export { AdaptiveSymbolPredictor, adaptiveBytesPredictor, dirichletCodeLength } from './adaptive-bytes-predictor.ts';

/** The built-in predictors, registered through the same plugin mechanism as any other. */
export default stageModule(adaptiveBytesPredictor);
