import { stageModule } from '@kolmo/core';
import { llmPredictorStage } from './llm-predictor.ts';

export { LlmPredictor, llmPredictorStage, type LlmPredictorConfig } from './llm-predictor.ts';
export { alignBits, utf8Offsets, type Spans } from './alignment.ts';
export { slidingWindows, type Window } from './windows.ts';
export { DocumentScorer, type DocumentScorerOptions } from './document-scorer.ts';
export { ScoreCache } from './score-cache.ts';
export type { ScoredDocument } from './scored-document.ts';

/** The `llm` predictor stage, registered through the same plugin mechanism as any other. */
export default stageModule(llmPredictorStage);
