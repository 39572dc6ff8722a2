import { basename, resolve } from 'node:path';
import { defineStage, KolmoError, sha256File, z, type LogProbBackend } from '@kolmo/core';
import {
  GgufFile,
  InProcessBackend,
  modelCardFor,
  vocabularyFromGguf,
  vocabularyKindOf,
  type ModelCard,
  type TextTokenizer,
} from '@kolmo/llm-inproc';
import { LlamaCppEngine } from './llama-cpp-engine.ts';
import { ModelTextTokenizer } from './model-text-tokenizer.ts';

const llamaCppConfig = z.object({
  model: z.string().min(1).describe('the GGUF file of a causal LM (any llama.cpp architecture), relative to the spec'),
  card: z.string().min(1).optional().describe("a tools/train-lm card (context, begin id, vocabulary kind); default: card.json beside the model, if there is one"),
  tokenizer: z
    .enum(['auto', 'model', 'vocabulary'])
    .default('auto')
    .describe("model: the GGUF's own tokenizer (model.tokenize; for Llama, Qwen, Mistral…); vocabulary: ids from the GGUF's token list in TypeScript (train-lm's SK word or byte models); auto: vocabulary when the model has a card, else model"),
  contextTokens: z.number().int().positive().optional().describe("the context window in tokens; default: the card's context, else the model's training context capped at 4096"),
  threads: z.number().int().positive().default(1).describe('CPU threads of llama.cpp (1: the documented, measured setting; results are repeatable for a fixed count)'),
  maxBatchSize: z.number().int().positive().default(8).describe('requests per scoring call (evaluated one after another in one context)'),
});

/**
 * `llama-cpp`: any GGUF causal LM, in process (node-llama-cpp 3.21.1, the prebuilt CPU build), scoring given
 * ids through llama.cpp's low-level evaluation with the whole next-token distribution at every position.
 * train-lm's fixtures map text to ids in TypeScript with the vocabulary stored in the GGUF; other models use
 * their own tokenizer. F32 KV cache, no flash attention, fixed threads: repeatable to the bit.
 */
export const llamaCppBackend = defineStage({
  kind: 'llm-backend',
  type: 'llama-cpp',
  description: 'any GGUF causal LM run in process by llama.cpp (node-llama-cpp, CPU, F32 KV cache, 1 thread: deterministic); full distributions',
  config: llamaCppConfig,
  create: (config, context): Promise<LogProbBackend> => createLlamaCppBackend(config, context.specDir),
});

export type LlamaCppBackendConfig = z.input<typeof llamaCppConfig>;

/** Builds the backend from a config whose paths are relative to `baseDir`. */
export async function createLlamaCppBackend(input: LlamaCppBackendConfig, baseDir: string): Promise<InProcessBackend> {
  const config = llamaCppConfig.parse(input);
  const modelPath = resolve(baseDir, config.model);
  const card = await modelCardFor(modelPath, config.card === undefined ? undefined : resolve(baseDir, config.card));
  const digest = await sha256File(modelPath).catch((error: Error) => {
    throw new KolmoError('input', `${modelPath}: cannot read the model (${error.message})`, { cause: error });
  });
  const useVocabulary = config.tokenizer === 'vocabulary' || (config.tokenizer === 'auto' && card !== undefined);
  const vocabulary = useVocabulary ? await ggufVocabulary(modelPath, card) : undefined;
  const contextTokens = config.contextTokens ?? card?.model.context_length;
  const engine = await LlamaCppEngine.load(modelPath, {
    contextTokens: contextTokens ?? 4096,
    threads: config.threads,
  });
  const maxContextTokens = contextTokens ?? Math.min(engine.model.trainContextSize, 4096);
  let tokenizer: TextTokenizer;
  let tokenizerId: string;
  let bosTokenId: number | undefined;
  if (vocabulary) {
    if (vocabulary.size !== engine.vocabularySize) {
      await engine.close();
      throw new KolmoError('input', `${modelPath}: the vocabulary has ${vocabulary.size} ids but the model scores ${engine.vocabularySize}`);
    }
    tokenizer = vocabulary;
    tokenizerId = `${vocabulary.kind}:sha256-${vocabulary.digest.slice(0, 16)}`;
    bosTokenId = vocabulary.beginId;
  } else {
    tokenizer = new ModelTextTokenizer(engine.model);
    tokenizerId = `gguf:sha256-${digest.slice(0, 16)}`;
    bosTokenId = engine.model.tokens.bos ?? undefined;
  }
  const name = card ? `${card.name}@step-${card.step}` : basename(modelPath);
  return new InProcessBackend(
    {
      id: `llama-cpp:${name}:sha256-${digest.slice(0, 16)}:cpu-f32-kv-${config.threads}-thread:ctx-${maxContextTokens}`,
      model: card ? `${name} (${basename(modelPath)})` : name,
      revision: `sha256:${digest}`,
      tokenizer: tokenizerId,
    },
    {
      maxContextTokens,
      maxBatchSize: config.maxBatchSize,
      distribution: 'full',
      deterministic: true,
      bosTokenId,
      vocabularySize: engine.vocabularySize,
    },
    tokenizer,
    engine,
  );
}

/** The vocabulary stored in a train-lm GGUF: bytes or words as its card says (or as its first 256 tokens show). */
async function ggufVocabulary(modelPath: string, card: ModelCard | undefined) {
  const gguf = await GgufFile.read(modelPath);
  if (card) return vocabularyFromGguf(gguf, vocabularyKindOf(card));
  try {
    return vocabularyFromGguf(gguf, 'bytes');
  } catch {
    return vocabularyFromGguf(gguf, 'words');
  }
}
