import { stageModule } from '@kolmo/core';
import { llamaCppBackend } from './llama-cpp-backend.ts';

export * from './llama-cpp-backend.ts';
export * from './llama-cpp-engine.ts';
export * from './model-text-tokenizer.ts';

/** The `llama-cpp` llm-backend: GGUF causal LMs in process (node-llama-cpp, CPU, deterministic settings). */
export default stageModule(llamaCppBackend);
