import { describe, expect, it } from 'vitest';
import { Rng, type Predictor, type TokenBatch } from '@kolmo/core';
import { attributeCatalog } from '../biography/attribute-catalog.ts';
import { compileSentence } from '../biography/compiled-sentence.ts';
import { createSyntaxKnowledgeSource } from '../create-syntax-knowledge-source.ts';
import { qaProbes, type QaProbe } from '../qa-probes.ts';
import { splitWordTokens } from '@kolmo/core';
import { SlotWordTokenizer } from '../slot-word-tokenizer.ts';
import { answerByBits } from './qa-scoring.ts';
import { qaRows } from './qa-tally.ts';

function corpus() {
  const source = createSyntaxKnowledgeSource({ seed: 3, documents: 3000, mode: 'all-attributes', valueCounts: { birthDate: 40, birthCity: 30, university: 20, major: 10, employer: 25 } });
  while (source.documents < 3000) source.nextBatch(500);
  return source;
}

/** A text predictor with `evaluate` only: `bitsOf(text, position)` bits on the token at `position` of a document. */
function textPredictor(tokenizer: SlotWordTokenizer, bitsOf: (text: string, position: number, doc: number) => number): Predictor & { calls: number } {
  return {
    calls: 0,
    score: () => {
      throw new Error('scoring candidates must not teach the model');
    },
    evaluate(tokens: TokenBatch) {
      this.calls++;
      const bits = new Float64Array(tokens.length);
      const texts = new Map<number, string>();
      for (let i = 0; i < tokens.length; i++) texts.set(tokens.doc[i], (texts.get(tokens.doc[i]) ?? '') + tokenizer.tokenText(tokens.ids[i]));
      for (let i = 0, position = 0; i < tokens.length; i++) {
        position = i > 0 && tokens.doc[i] === tokens.doc[i - 1] ? position + 1 : 0;
        bits[i] = bitsOf(texts.get(tokens.doc[i])!, position, tokens.doc[i]);
      }
      return bits;
    },
  };
}

describe('answering QA probes by the bits of each candidate', () => {
  const source = corpus();
  const tokenizer = new SlotWordTokenizer(source);
  const set = qaProbes(source, { rng: new Rng(5), perBin: 4 });
  const statement = (probe: QaProbe, value: string) => probe.statementPrefix + value + compileSentence(attributeCatalog[probe.attributeName as keyof typeof attributeCatalog].cores[0], false).chunks[2];

  it('picks the candidate whose completion costs the fewest bits (the true one, for a model that knows it)', async () => {
    const truths = new Set(set.probes.map((probe) => statement(probe, probe.answer)));
    const knowing = textPredictor(tokenizer, (text) => (truths.has(text) ? 0 : 1));
    const answers = await answerByBits(knowing, tokenizer, source, set, 'knowing');
    expect(answers).toEqual(set.probes.map((probe) => probe.answerIndex));
    expect(knowing.calls).toBe(set.probes.length);
  });

  it('counts only the candidate and the rest of the sentence: with equal bits per token the shortest candidate wins, ties to the first', async () => {
    // The first (prefix) token costs a different amount in every document; the prefix must not count.
    const uniform = textPredictor(tokenizer, (_text, position, doc) => (position === 0 ? (doc * 7919) % 101 : 1));
    const answers = await answerByBits(uniform, tokenizer, source, set, 'uniform');
    set.probes.forEach((probe, i) => {
      const lengths = set.candidates[probe.attribute].map((value) => splitWordTokens(' ' + value).length);
      expect(answers[i]).toBe(lengths.indexOf(Math.min(...lengths)));
    });
  });
});

describe('qaRows', () => {
  const probe = (bin: number, answerIndex: number, log2ChanceCorrect: number, element: number) => ({ bin, answerIndex, log2ChanceCorrect, element }) as QaProbe;
  it('counts correct, wrong and abstained answers per bin and subset, with the chance level and binomial standard errors', () => {
    const probes = [probe(0, 1, -1, 0), probe(0, 2, -2, 1), probe(1, 0, -2, 2), probe(1, 0, -2, 3), probe(1, 3, -2, 4)];
    const answers = [1, 0, null, 0, 1];
    const unknown = [false, true, true, true, true];
    const rows = qaRows(probes, answers, unknown, (p) => (p.element < 2 ? 3 : 0));
    const row = (bin: number, subset: string) => rows.find((r) => r.bin === bin && r.subset === subset)!.columns;
    expect(rows.map((r) => `${r.bin}:${r.subset}`)).toEqual(['0:all', '0:unknown', '0:seen', '1:all', '1:unknown', '1:unseen']);
    expect(row(0, 'all')).toMatchObject({ probes: 2, correct: 1, wrong: 1, abstained: 0, accuracy: 0.5, hallucination_rate: 0.5, chance: (0.5 + 0.25) / 2 });
    expect(row(0, 'all').accuracy_se).toBeCloseTo(Math.sqrt(0.25 / 2), 15);
    expect(row(1, 'all')).toMatchObject({ probes: 3, correct: 1, wrong: 1, abstained: 1, chance: 0.25 });
    expect(row(1, 'all').abstention_rate).toBeCloseTo(1 / 3, 15);
    expect(row(1, 'unseen')).toEqual(row(1, 'all'));
  });
});
