import { stageModule } from '@kolmo/core';
import { openAiCompatibleBackend } from './openai-compatible-backend.ts';
import { llamaCppServerBackend, ollamaBackend } from './prompt-unscoring-servers.ts';

export * from './openai-compatible-backend.ts';
export * from './prompt-unscoring-servers.ts';

/** `llm-backend` types for OpenAI-compatible servers, and the servers that cannot score a prompt. */
export default stageModule(openAiCompatibleBackend, llamaCppServerBackend, ollamaBackend);
