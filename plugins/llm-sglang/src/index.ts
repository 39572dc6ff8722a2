import { stageModule } from '@kolmo/core';
import { sglangBackend } from './sglang-backend.ts';

export * from './sglang-backend.ts';

/** The `sglang` llm-backend: SGLang's native /generate with prompt log-probs. */
export default stageModule(sglangBackend);
