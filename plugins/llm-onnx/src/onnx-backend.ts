import { basename, resolve } from 'node:path';
import { defineStage, KolmoError, sha256File, z, type LogProbBackend } from '@kolmo/core';
import { ByteVocabulary, InProcessBackend, modelCardFor, vocabularyFromCorpusHeader, vocabularyKindOf, type ModelVocabulary } from '@kolmo/llm-inproc';
import { OnnxEngine } from './onnx-engine.ts';

const onnxConfig = z.object({
  model: z.string().min(1).describe('the .onnx file (ids int64 [batch, length] → logits float32 [batch, length, vocabulary]), relative to the spec'),
  card: z.string().min(1).optional().describe("the model's card (tools/train-lm's card.json: context, begin id, vocabulary kind); default: card.json beside the model"),
  vocabulary: z
    .string()
    .min(1)
    .optional()
    .describe("word models: the token-binary corpus header (meta.json) the model was trained on, whose texts are its ids; byte models need none"),
  maxBatchSize: z.number().int().positive().default(8).describe('sequences per ONNX Runtime call'),
});

/**
 * `onnx`: a causal LM exported to ONNX by tools/train-lm, in process (onnxruntime-node, CPU, one thread: scores
 * are bit-identical run to run). Text → ids in TypeScript with the model's own vocabulary: the SK word vocabulary
 * of its corpus (meta.json), or UTF-8 bytes. Full next-token distributions, so it can drive a range coder.
 */
export const onnxBackend = defineStage({
  kind: 'llm-backend',
  type: 'onnx',
  description: 'a causal LM in ONNX (tools/train-lm) run in process by ONNX Runtime on the CPU, single-threaded (deterministic); full distributions',
  config: onnxConfig,
  create: (config, context): Promise<LogProbBackend> => createOnnxBackend(config, context.specDir),
});

export type OnnxBackendConfig = z.input<typeof onnxConfig>;

/** Builds the backend from a config whose paths are relative to `baseDir`. */
export async function createOnnxBackend(input: OnnxBackendConfig, baseDir: string): Promise<InProcessBackend> {
  const config = onnxConfig.parse(input);
  const modelPath = resolve(baseDir, config.model);
  const card = await modelCardFor(modelPath, config.card === undefined ? undefined : resolve(baseDir, config.card));
  if (!card) throw new KolmoError('input', `${modelPath}: no card.json beside the model; name its card (tools/train-lm writes one per checkpoint) with card:`);
  let vocabulary: ModelVocabulary;
  if (vocabularyKindOf(card) === 'bytes') {
    vocabulary = new ByteVocabulary(card.io.beginId, card.model.vocabulary_size);
  } else {
    if (config.vocabulary === undefined) {
      throw new KolmoError('input', `${modelPath}: a word-level model needs vocabulary: the token-binary corpus header (meta.json) it was trained on`);
    }
    vocabulary = await vocabularyFromCorpusHeader(resolve(baseDir, config.vocabulary));
  }
  if (vocabulary.size !== card.model.vocabulary_size || vocabulary.beginId !== card.io.beginId) {
    throw new KolmoError(
      'input',
      `${modelPath}: the vocabulary (${vocabulary.size} ids, begin ${vocabulary.beginId}) is not the model's (${card.model.vocabulary_size} ids, begin ${card.io.beginId}, ${card.path})`,
    );
  }
  const digest = await sha256File(modelPath).catch((error: Error) => {
    throw new KolmoError('input', `${modelPath}: cannot read the model (${error.message})`, { cause: error });
  });
  const engine = await OnnxEngine.load(modelPath, vocabulary.size, vocabulary.beginId);
  const name = `${card.name}@step-${card.step}`;
  return new InProcessBackend(
    {
      id: `onnx:${name}:sha256-${digest.slice(0, 16)}:cpu-1-thread`,
      model: `${name} (${basename(modelPath)})`,
      revision: `sha256:${digest}`,
      tokenizer: `${vocabulary.kind}:sha256-${vocabulary.digest.slice(0, 16)}`,
    },
    {
      maxContextTokens: card.model.context_length,
      maxBatchSize: config.maxBatchSize,
      distribution: 'full',
      deterministic: true,
      bosTokenId: vocabulary.beginId,
      vocabularySize: vocabulary.size,
    },
    vocabulary,
    engine,
  );
}
