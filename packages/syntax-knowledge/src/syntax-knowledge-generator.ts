import { componentField, defineStage, type DocumentBatch, type Generator } from '@kolmo/core';
import { z } from 'zod';
import { attributeNames, type AttributeName } from './biography/attribute-catalog.ts';
import { defaultValueCounts } from './create-syntax-knowledge-source.ts';
import { wordList } from './biography/word-lists.ts';
import { SyntaxKnowledgeSource, type SyntaxKnowledgeSettings } from './syntax-knowledge-source.ts';

/** A generator that exposes its true source, for the tokenizer and the predictors downstream. */
export interface SyntaxKnowledgeGenerator extends Generator {
  readonly source: SyntaxKnowledgeSource;
}

/** The SK source behind a pipeline's generator (`context.upstream.generator`), if it is one. */
export function syntaxKnowledgeSourceOf(generator: Generator | undefined): SyntaxKnowledgeSource | undefined {
  const source = (generator as Partial<SyntaxKnowledgeGenerator> | undefined)?.source;
  return source instanceof SyntaxKnowledgeSource ? source : undefined;
}

/**
 * Streams the source's documents in batches; pull-driven, so memory stays flat however many documents.
 * Held-out documents continue the same source (same φ and G, numbering after the corpus); the statistics stay
 * those of the corpus, plus `heldOutDocuments`.
 */
export function syntaxKnowledgeGenerator(source: SyntaxKnowledgeSource, batchDocuments: number): SyntaxKnowledgeGenerator {
  const corpus = source.settings.documents;
  let corpusStatistics: Record<string, number> | undefined;
  let heldOutDocuments = 0;
  return {
    source,
    expectedDocuments: corpus,
    *batches(): Iterator<DocumentBatch> {
      while (source.documents < corpus) yield source.nextBatch(batchDocuments);
    },
    *heldOut(documents: number): Iterator<DocumentBatch> {
      while (source.documents < corpus) source.nextBatch(batchDocuments); // a corpus not streamed to the end still comes first
      corpusStatistics ??= source.statistics();
      const end = source.documents + documents;
      source.allowDocuments(end);
      while (source.documents < end) {
        const batch = source.nextBatch(Math.min(batchDocuments, end - source.documents));
        heldOutDocuments += batch.text.length;
        yield batch;
      }
    },
    statistics: () => (corpusStatistics ? { ...corpusStatistics, heldOutDocuments } : source.statistics()),
  };
}

const valueCount = (name: AttributeName) =>
  z
    .number()
    .int()
    .min(1, `the ${name} value list must not be empty`)
    .default(defaultValueCounts[name])
    .describe(`how many ${name} values G0 chooses from (a prefix of the shipped list)`);

const config = z.object({
  prior: componentField('prior')
    .default({ type: 'pitman-yor', discount: 0.5, concentration: 1 })
    .describe('the knowledge prior over individuals (default Pitman–Yor α = 0.5, β = 1)'),
  documents: z.number().int().min(0).default(10000).describe('documents N in the corpus'),
  mode: z
    .enum(['single-attribute', 'all-attributes'])
    .default('single-attribute')
    .describe('a document states one attribute (chosen at random) or all attributes of its individual'),
  attributes: z
    .array(z.enum(attributeNames))
    .min(1, 'needs at least one attribute')
    .default([...attributeNames])
    .describe(`the attributes A of an individual, in document order (${attributeNames.join(', ')})`),
  attributeWeights: z
    .array(z.number().positive())
    .optional()
    .describe('fixed probabilities of the attributes in single-attribute mode (normalised); uniform if absent'),
  templates: z.number().int().min(1, 'needs at least one template per attribute').default(4).describe('templates T per attribute (d = T − 1 each)'),
  templatePrior: z.number().positive().default(0.5).describe('Dirichlet parameter a of φ (1/2 = Jeffreys/KT)'),
  values: z
    .object({
      birthDate: valueCount('birthDate'),
      birthCity: valueCount('birthCity'),
      university: valueCount('university'),
      major: valueCount('major'),
      employer: valueCount('employer'),
    })
    .prefault({})
    .describe('value-list size per attribute'),
  firstNames: z.number().int().min(1).optional().describe('first names in use (default: the whole shipped list)'),
  lastNames: z.number().int().min(1).optional().describe('last names in use (default: the whole shipped list)'),
  truncation: z
    .object({
      maxAtoms: z.number().int().positive().default(2 ** 20).describe('atoms of G drawn up front at most'),
      tolerance: z.number().min(0).lt(1).default(1e-6).describe('stop drawing atoms once the mass left is below this'),
    })
    .prefault({})
    .describe('how much of G is drawn before the corpus; the rest is drawn lazily and exactly, so this never biases the data'),
  batchDocuments: z.number().int().positive().default(1024).describe('documents per emitted batch'),
});

export type SyntaxKnowledgeConfig = z.output<typeof config>;

export const syntaxKnowledgeGeneratorStage = defineStage({
  kind: 'generator',
  type: 'syntax-knowledge',
  description: 'Syntax-Knowledge model (theory §2), biographies: Pitman–Yor individuals × Dirichlet templates, with oracle bits per slot',
  config,
  create: async (options, context): Promise<SyntaxKnowledgeGenerator> => {
    const settings: SyntaxKnowledgeSettings = {
      documents: options.documents,
      mode: options.mode,
      attributes: options.attributes,
      attributeWeights: options.attributeWeights,
      templates: options.templates,
      templatePrior: options.templatePrior,
      valueCounts: options.values,
      firstNames: options.firstNames ?? wordList('first-names').length,
      lastNames: options.lastNames ?? wordList('last-names').length,
      truncation: options.truncation,
    };
    const prior = await context.create('prior', options.prior, 'generator.prior');
    const source = new SyntaxKnowledgeSource(settings, prior, {
      syntax: context.rng('syntax'),
      weights: context.rng('knowledge/weights'),
      draws: context.rng('knowledge/draws'),
      content: context.rng('content'),
      attributes: context.rng('attributes'),
      templates: context.rng('templates'),
    });
    const measure = source.trueMeasure();
    if (measure && measure.truncationMass > options.truncation.tolerance) {
      context.log.warn(
        `${prior.name}: the ${measure.head.length} atoms drawn up front leave mass ${measure.truncationMass.toExponential(2)} ` +
          `(> tolerance ${options.truncation.tolerance}); the data stay exact (the rest is drawn lazily), ` +
          `but true-weight summaries over the first atoms miss that mass`,
      );
    }
    return syntaxKnowledgeGenerator(source, options.batchDocuments);
  },
});
