// `@kolmo/syntax-knowledge/internal`: the model's building blocks, for its tests, benchmarks and experiments.
// No stability promise: these move when the model's implementation does.
export { PitmanYorSeating } from '../knowledge/pitman-yor-seating.ts';
export { breakStick } from '../knowledge/stick-breaking.ts';
export type { KnowledgeDraws } from '../knowledge/knowledge-draws.ts';
export { MarginalDraws } from '../knowledge/marginal-draws.ts';
export { NamePool } from '../biography/name-pool.ts';
export { forEachWordToken, isPunctuation, punctuationMarks } from '@kolmo/core';
export { AliasTable } from '../sampling/alias-table.ts';
export { sampleLogGamma, sampleStableBeta, sampleStableDirichlet } from '../sampling/stable-gamma.ts';
export { StructuredPredictor, type CodingPhase } from '../predictors/structured-predictor.ts';
export { DocumentLayout, DocumentParts } from '../predictors/document-layout.ts';
export { TemplateCounts, dirichletCategoricalCodeLength } from '../predictors/template-counts.ts';
export { LearnedElements } from '../predictors/learned-elements.ts';
export { BaseMeasureBits } from '../predictors/base-measure-bits.ts';
export { baseMeasureGuess } from '../predictors/qa-answering.ts';
export { requireSyntaxKnowledgeSource } from '../predictors/syntax-knowledge-source-of.ts';
export { ElementChoiceCodec, countAffineOffset } from '../predictors/element-choice-codec.ts';
export { encodeUniformInteger, decodeUniformInteger, maxUniformCount } from '../predictors/uniform-integer-coding.ts';
export { UnusedNames } from '../predictors/unused-names.ts';
export { RestrictedTemplates } from '../fine-tuning/restricted-templates.ts';
export { AcquisitionTally } from '../analysis/acquisition-tally.ts';
export { qaRows, type QaMode, type QaSubset } from '../analysis/qa-tally.ts';
