import type { Prior, TokenBatch } from '@kolmo/core';
import { createSyntaxKnowledgeSource } from '../create-syntax-knowledge-source.ts';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { type SyntaxKnowledgeSettings, type SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { SlotWordTokenizer } from '../slot-word-tokenizer.ts';

/** A small syntax-knowledge corpus for tests: the source, its tokenizer, and its documents as token batches. */
export interface TestCorpus {
  readonly source: SyntaxKnowledgeSource;
  readonly tokenizer: SlotWordTokenizer;
  /** The next `documents` documents, tokenized, in batches of `batchDocuments`. */
  next(documents: number, batchDocuments?: number): TokenBatch[];
}

/** Fewer atoms up front than the stage's default (faster; the tail beyond them is drawn exactly and lazily). */
export function testCorpus(options: Partial<SyntaxKnowledgeSettings> & { seed: number; prior?: Prior }): TestCorpus {
  const source = createSyntaxKnowledgeSource({ truncation: { maxAtoms: 1 << 14, tolerance: 1e-6 }, documents: 1e7, ...options });
  const tokenizer = new SlotWordTokenizer(source);
  return {
    source,
    tokenizer,
    next(documents, batchDocuments = 512) {
      const batches: TokenBatch[] = [];
      for (let left = documents; left > 0; left -= batchDocuments) batches.push(tokenizer.tokenize(source.nextBatch(Math.min(left, batchDocuments))));
      return batches;
    },
  };
}

/** Pitman–Yor without true weights: the generator then draws from the marginal (Chinese restaurant). */
export function marginalOnlyPrior(discount: number, concentration: number): Prior {
  const prior = new PitmanYorPrior(discount, concentration);
  return { name: `${prior.name} (marginal only)`, seating: () => prior.seating(), logMarginal: (sizes) => prior.logMarginal(sizes) };
}

/** Σ of `bits` over the tokens of a slot (all tokens when slot is undefined). */
export function slotSum(batches: readonly TokenBatch[], bits: readonly Float64Array[], slot?: number): number {
  let sum = 0;
  batches.forEach((tokens, b) => {
    for (let i = 0; i < tokens.length; i++) if (slot === undefined || tokens.slot[i] === slot) sum += bits[b][i];
  });
  return sum;
}
