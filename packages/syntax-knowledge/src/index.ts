import { stageModule } from '@kolmo/core';
import { acquisitionSink } from './analysis/acquisition-sink.ts';
import { qaProbesSink } from './analysis/qa-probes-sink.ts';
import { twoPhaseGenerator } from './fine-tuning/two-phase-generator.ts';
import { pitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import { bayesOptimalPredictor, capacityLimitedPredictor, memoryBoundedPredictor, oraclePredictor } from './predictors/index.ts';
import { slotWordTokenizer } from './slot-word-tokenizer.ts';
import { syntaxKnowledgeGeneratorStage } from './syntax-knowledge-generator.ts';

// The source: settings, the generator stage, the programmatic path.
export { SyntaxKnowledgeSource, groundTruthColumns, truthOf, validateSettings, type SyntaxKnowledgeBatch, type SyntaxKnowledgeTruth, type DocumentMode, type SyntaxKnowledgeSettings, type SyntaxKnowledgeStreams } from './syntax-knowledge-source.ts';
export { syntaxKnowledgeGenerator, syntaxKnowledgeGeneratorStage, syntaxKnowledgeSourceOf, type SyntaxKnowledgeConfig, type SyntaxKnowledgeGenerator } from './syntax-knowledge-generator.ts';
export { createSyntaxKnowledgeSource, defaultSyntaxKnowledgeSettings, defaultValueCounts } from './create-syntax-knowledge-source.ts';
// The biography instance.
export { attributeCatalog, attributeNames, maxTemplates, sentenceOpeners, templateText, type AttributeDefinition, type AttributeName } from './biography/attribute-catalog.ts';
export { compileSentence, type CompiledSentence, type SentencePiece } from './biography/compiled-sentence.ts';
export { birthDates, wordList } from './biography/word-lists.ts';
export { splitWordTokens } from '@kolmo/core';
// Knowledge and syntax: the built-in Pitman–Yor prior, the true measure, injected elements, template syntax.
export {
  PitmanYorPrior,
  pitmanYorPrior,
  assertPitmanYorParameters,
  pitmanYorLogEppf,
  pitmanYorExpectedDistinct,
  pitmanYorExpectedDistinctByRecursion,
  pitmanYorDistinctMoments,
  pitmanYorExpectedBlocksOfSize,
} from './knowledge/pitman-yor-prior.ts';
export { TrueMeasureDraws, type TrueMeasure } from './knowledge/true-measure-draws.ts';
export { InjectedElements, type InjectionGroup } from './knowledge/injected-elements.ts';
export { DirichletTemplateSyntax, CategoricalTemplates } from './syntax/dirichlet-template-syntax.ts';
export type { SyntaxModel, TrueSyntax } from './syntax/syntax-model.ts';
// QA probes.
export { qaProbes, type QaProbe, type QaProbeBin, type QaProbeOptions, type QaProbeSet } from './qa-probes.ts';
// The tokenizer.
export { SlotWordTokenizer, slotWordTokenizer } from './slot-word-tokenizer.ts';
// The predictors and their document codec.
export {
  OraclePredictor,
  oraclePredictor,
  BayesOptimalPredictor,
  bayesOptimalPredictor,
  CapacityLimitedPredictor,
  capacityLimitedPredictor,
  MemoryBoundedPredictor,
  memoryBoundedPredictor,
  pitmanYorParametersOf,
  expectedKnowledgeLoss,
  expectedSyntaxLoss,
  expectedLossStatistics,
  measureEntropy,
  SkDocumentCodec,
  encodeSkDocuments,
  decodeSkDocuments,
  type CapacitySettings,
  type MemorySettings,
  type ExpectedLoss,
  type ExpectedKnowledgeLoss,
  type StoredKnowledge,
  type QaAnswering,
  type QaAnswerOptions,
  type SkDocumentStructure,
  type SkElementContent,
  type SkDocumentEncoding,
} from './predictors/index.ts';
// Fine-tuning and the model's analysis sinks.
export { twoPhaseGenerator, type TwoPhaseConfig } from './fine-tuning/two-phase-generator.ts';
export { acquisitionSink, type AcquisitionConfig } from './analysis/acquisition-sink.ts';
export { qaProbesSink, type QaProbesConfig } from './analysis/qa-probes-sink.ts';
export { answerByBits, answerProbes, canAnswer, type AnsweringPredictor, type QaAnswer } from './analysis/qa-scoring.ts';

/** Every stage of the model (and its built-in Pitman–Yor prior), registered through the same plugin mechanism as any other. */
export default stageModule(
  syntaxKnowledgeGeneratorStage,
  twoPhaseGenerator,
  pitmanYorPrior,
  slotWordTokenizer,
  oraclePredictor,
  bayesOptimalPredictor,
  capacityLimitedPredictor,
  memoryBoundedPredictor,
  acquisitionSink,
  qaProbesSink,
);
