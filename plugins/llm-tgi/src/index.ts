import { stageModule } from '@kolmo/core';
import { tgiBackend } from './tgi-backend.ts';

export * from './tgi-backend.ts';

/** The `tgi` llm-backend: Hugging Face text-generation-inference. */
export default stageModule(tgiBackend);
