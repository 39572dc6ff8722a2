import { KolmoError, defineStage, z } from '@kolmo/core';

/**
 * Servers that return log-probs of generated tokens only, never of a given prompt, cannot measure code lengths.
 * They are backend types of their own so that a spec naming them fails at startup with the reason and the way
 * out, instead of a confusing 400 mid-run.
 */
const anyFields = z.looseObject({}).describe('any fields: this backend refuses at startup');

const instead =
  "use the in-process GGUF backend (type: llama-cpp) with the same .gguf file, or serve the model with vLLM and use type: openai-compatible";

export const llamaCppServerBackend = defineStage({
  kind: 'llm-backend',
  type: 'llama-cpp-server',
  description: "refuses: llama.cpp's server returns log-probs of generated tokens only, not of a prompt",
  config: anyFields,
  create: () => {
    throw new KolmoError(
      'invalidSpec',
      `backend llama-cpp-server: llama.cpp's HTTP server returns log-probs of generated tokens only, not of a given prompt (prompt/echo log-probs are not merged upstream: ggml-org/llama.cpp #15189, #27174), so it cannot score a text; ${instead}`,
    );
  },
});

export const ollamaBackend = defineStage({
  kind: 'llm-backend',
  type: 'ollama',
  description: 'refuses: Ollama returns log-probs of generated tokens only, not of a prompt',
  config: anyFields,
  create: () => {
    throw new KolmoError(
      'invalidSpec',
      `backend ollama: Ollama returns log-probs of generated tokens only, not of a given prompt, so it cannot score a text; ${instead}`,
    );
  },
});
