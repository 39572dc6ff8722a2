import { defineStage, KolmoError, type DocumentBatch } from '@kolmo/core';
import { syntaxKnowledgeGeneratorStage, syntaxKnowledgeSourceOf, type SyntaxKnowledgeGenerator } from '../syntax-knowledge-generator.ts';
import { z } from 'zod';
import { RestrictedTemplates } from './restricted-templates.ts';

const injectionGroup = z.object({
  elements: z.number().int().min(1).describe('K: designated new individuals of this group, created fresh from G0 (unique names, new values; never seen in P1)'),
  rate: z.number().gt(0).max(1).describe('f: the probability that a P2 document is about one of them, chosen uniformly (each has true frequency f/K)'),
});

const config = syntaxKnowledgeGeneratorStage.config.extend({
  documents: z.number().int().min(0).default(10000).describe('documents of the first phase (pre-training, P1)'),
  fineTune: z
    .object({
      documents: z.number().int().min(0).describe('documents of the second phase (fine-tuning, P2)'),
      format: z
        .enum(['same', 'new'])
        .default('new')
        .describe("'new': P1 uses templates [0, ⌈T/2⌉) and P2 the others (φ restricted to each part and renormalised), a new format with the same knowledge (theory §5 (a)); 'same': P2 continues P1 unchanged (continued training: forgetting under bounded memory, §5 (c))"),
      inject: z
        .union([injectionGroup, z.array(injectionGroup).min(1)])
        .optional()
        .describe('new knowledge at chosen frequencies (theory §5 (b)): each P2 document is, with probability f, about one of K designated new individuals, else drawn from G; a list of groups spans several frequencies (rates summing to at most 1)'),
    })
    .describe('the second phase: same individuals (the same G), a new or the same format, optionally with injected new individuals'),
});

export type TwoPhaseConfig = z.output<typeof config>;

/**
 * Pre-training then fine-tuning on one syntax-knowledge source (theory §5): `documents` documents of phase P1,
 * then `fineTune.documents` of phase P2 from the same G (same individuals, same frequencies), with the other
 * half of the templates (a new format) or unchanged. Predictors, tokenizer and sinks see one SK source
 * (`generator.source`), whose true φ is switched at the boundary, so the oracle and the predictors' exact
 * expected losses follow the current phase. Documents carry a `phase` column (1 or 2). Held-out documents
 * come from the phase current at the end (P2). The switch happens when the first P2 batch is generated, and
 * the runner pulls up to two batches ahead of the sinks: a sink reading the source's φ within two batches
 * before the boundary may already see P2's.
 *
 * With `fineTune.inject` (theory §5 (b)), P2's documents come from the mixture (1 − Σf) G + Σ_g (f_g/K_g) Σ_j δ_gj
 * over designated new individuals (`SyntaxKnowledgeSource.injectElements`): the oracle's knowledge bits of a P2
 * document are −log2(f_g/K_g) for an injected individual and −log2((1 − Σf) π_k) for a draw from G, and so are
 * the `frequency` column, `source.weight` and `source.trueMeasure()` from the boundary on (the predictors'
 * exact expected losses follow). Documents then carry an `injected` column: group + 1 (in config order), 0 for
 * a draw from G (all of P1). Held-out documents come from the mixture too.
 */
export const twoPhaseGenerator = defineStage({
  kind: 'generator',
  type: 'two-phase',
  description: 'pre-training then fine-tuning on one syntax-knowledge source: the same individuals, then a new format (other templates) or the same (theory §5)',
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
    if (fineTune.inject) {
      const groups = Array.isArray(fineTune.inject) ? fineTune.inject : [fineTune.inject];
      source.injectElements(groups, context.rng('knowledge/injection'), { fromDocument: first, path: 'generator.fineTune.inject' });
    }
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
