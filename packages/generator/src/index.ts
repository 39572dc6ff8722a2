import { stageModule } from '@kolmo/core';
import { pitmanYorPrior } from './knowledge/pitman-yor-prior.ts';
import { syntaxKnowledgeGeneratorStage } from './syntax-knowledge-generator.ts';
import { textFileGenerator } from './text-file-generator.ts';

export { textFileGenerator };
export * from './knowledge/pitman-yor-prior.ts';
export * from './knowledge/pitman-yor-seating.ts';
export * from './knowledge/stick-breaking.ts';
export * from './knowledge/knowledge-draws.ts';
export * from './knowledge/true-measure-draws.ts';
export * from './knowledge/marginal-draws.ts';
export * from './knowledge/injected-elements.ts';
export * from './syntax/syntax-model.ts';
export * from './syntax/dirichlet-template-syntax.ts';
export * from './biography/attribute-catalog.ts';
export * from './biography/compiled-sentence.ts';
export * from './biography/name-pool.ts';
export * from './biography/word-lists.ts';
export * from './sampling/alias-table.ts';
export * from './sampling/stable-gamma.ts';
export * from './word-tokens.ts';
export * from './syntax-knowledge-source.ts';
export * from './syntax-knowledge-generator.ts';
export * from './create-syntax-knowledge-source.ts';
export * from './qa-probes.ts';

/** The built-in generators (and the built-in Pitman–Yor prior), registered through the same plugin mechanism as any other. */
export default stageModule(textFileGenerator, syntaxKnowledgeGeneratorStage, pitmanYorPrior);
