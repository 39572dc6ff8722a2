import { stageModule } from '@kolmo/core';
import { unigramBackendStage } from './unigram-backend.ts';

export { UnigramBackend, unigramBackendStage, unigramBits, unigramTokenBits, unigramUnitBits, type UnigramBackendOptions } from './unigram-backend.ts';

/** A spec naming `@kolmo/llm/testing` as a plugin gets the `unigram-test` llm-backend. */
export default stageModule(unigramBackendStage);
