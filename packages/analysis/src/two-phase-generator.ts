import { defineStage, KolmoError, type DocumentBatch } from '@kolmo/core';
import { syntaxKnowledgeGeneratorStage, syntaxKnowledgeSourceOf, type SyntaxKnowledgeGenerator } from '@kolmo/generator';
import { z } from 'zod';
import { RestrictedTemplates } from './restricted-templates.ts';

const config = syntaxKnowledgeGeneratorStage.config.extend({
  documents: z.number().int().min(0).default(10000).describe('documents of the first phase (pre-training, P1)'),
  fineTune: z
    .object({
      documents: z.number().int().min(0).describe('documents of the second phase (fine-tuning, P2)'),
      format: z
        .enum(['same', 'new'])
        .default('new')
        .describe("'new': P1 uses templates [0, ⌈T/2⌉) and P2 the others (φ restricted to each part and renormalised), a new format with the same knowledge (SPEC §5 (a)); 'same': P2 continues P1 unchanged (continued training: forgetting under bounded memory, §5 (c))"),
    })
    .describe('the second phase: same individuals (the same G), a new or the same format'),
});

export type TwoPhaseConfig = z.output<typeof config>;

/**
 * Pre-training then fine-tuning on one syntax-knowledge source (SPEC §5): `documents` documents of phase P1,
 * then `fineTune.documents` of phase P2 from the same G (same individuals, same frequencies), with the other
 * half of the templates (a new format) or unchanged. Predictors, tokenizer and sinks see one SK source
 * (`generator.source`), whose true φ is switched at the boundary, so the oracle and the predictors' exact
 * expected losses follow the current phase. Documents carry a `phase` column (1 or 2). Held-out documents
 * come from the phase current at the end (P2). The switch happens when the first P2 batch is generated, and
 * the runner pulls up to two batches ahead of the sinks: a sink reading the source's φ within two batches
 * before the boundary may already see P2's.
 *
 * What this cannot express yet: injecting new individuals at a chosen frequency in P2 (SPEC §5 (b)) — the
 * source's knowledge draws come from G alone; it would need the source to mix draws of designated new
 * elements into P2 (and their true weights into the oracle's and predictors' expectations).
 */
export const twoPhaseGenerator = defineStage({
  kind: 'generator',
  type: 'two-phase',
  description: 'pre-training then fine-tuning on one syntax-knowledge source: the same individuals, then a new format (other templates) or the same (SPEC §5)',
  config,
  create: async (options, context): Promise<SyntaxKnowledgeGenerator> => {
    const { fineTune, ...rest } = options;
    const first = rest.documents;
    const total = first + fineTune.documents;
    const T = rest.templates;
    if (fineTune.format === 'new' && T < 2) {
      throw new KolmoError('invalidSpec', `generator.templates: a new format in fine-tuning needs at least 2 templates per attribute to split, got ${T}`);
    }
    const inner = await syntaxKnowledgeGeneratorStage.create({ ...rest, documents: total }, context);
    const source = syntaxKnowledgeSourceOf(inner);
    if (!source) throw new Error('the syntax-knowledge generator stage did not expose its source');
    const A = source.attributeCount;
    const split = Math.ceil(T / 2);
    const drawn = source.syntax;
    const phases =
      fineTune.format === 'new'
        ? [new RestrictedTemplates(drawn, A, T, 0, split), new RestrictedTemplates(drawn, A, T, split, T)]
        : [drawn, drawn];
    source.replaceSyntax(phases[0]);
    const batch = rest.batchDocuments;
    const withPhase = (documents: DocumentBatch, phase: number): DocumentBatch => ({
      ...documents,
      columns: { ...documents.columns, phase: new Uint8Array(documents.text.length).fill(phase) },
    });
    return {
      source,
      expectedDocuments: total,
      *batches(): Iterator<DocumentBatch> {
        while (source.documents < first) yield withPhase(source.nextBatch(Math.min(batch, first - source.documents)), 1);
        source.replaceSyntax(phases[1]);
        while (source.documents < total) yield withPhase(source.nextBatch(Math.min(batch, total - source.documents)), 2);
      },
      heldOut: (documents: number) => {
        const held = inner.heldOut!(documents);
        return {
          next: () => {
            const step = held.next() as IteratorResult<DocumentBatch>;
            return step.done ? step : { done: false, value: withPhase(step.value, 2) };
          },
        };
      },
      statistics: () => ({ ...inner.statistics!(), phase1Documents: first, phase2Documents: fineTune.documents }),
    };
  },
});
