import { KolmoError, Rng, Slot } from '@kolmo/core';
import { qaProbes } from '../qa-probes.ts';
import { describe, expect, it } from 'vitest';
import { OraclePredictor } from './oracle-predictor.ts';
import { marginalOnlyPrior, slotSum, testCorpus } from './syntax-knowledge-corpus.fixture.ts';

describe('oracle predictor', () => {
  for (const mode of ['single-attribute', 'all-attributes'] as const) {
    it(`codes exactly the tokens' true bits (${mode}, true weights)`, () => {
      const corpus = testCorpus({ seed: 11, mode, attributeWeights: mode === 'single-attribute' ? [5, 1, 1, 2, 1] : undefined });
      const oracle = new OraclePredictor(corpus.source);
      for (const tokens of corpus.next(mode === 'single-attribute' ? 3000 : 1000, 700)) expect(oracle.score(tokens)).toEqual(tokens.trueBits);
      // Held out: the true source is fixed, so evaluation codes the same way.
      for (const tokens of corpus.next(500)) expect(oracle.evaluate(tokens)).toEqual(tokens.trueBits);
    });
  }

  it('follows the Chinese restaurant (and G0) exactly for a prior without true weights', () => {
    const corpus = testCorpus({ seed: 12, prior: marginalOnlyPrior(0.5, 1) });
    const oracle = new OraclePredictor(corpus.source);
    const batches = corpus.next(3000);
    const bits = batches.map((tokens) => oracle.score(tokens));
    batches.forEach((tokens, b) => expect(bits[b]).toEqual(tokens.trueBits));
    // Value bits are first-time revelations of values, the only non-zero value-slot tokens.
    expect(slotSum(batches, bits, Slot.value)).toBeGreaterThan(0);
    expect(oracle.statistics().entropy_knowledge_bits).toBeUndefined();
  });

  it('answers every QA probe with the true value and never abstains, stated in a document or not', () => {
    for (const { mode, prior } of [
      { mode: 'single-attribute' as const, prior: undefined },
      { mode: 'all-attributes' as const, prior: marginalOnlyPrior(0.5, 1) },
    ]) {
      const corpus = testCorpus({ seed: 14, mode, prior });
      const oracle = new OraclePredictor(corpus.source);
      // The text of a document about each individual: in all-attributes mode it states every true value.
      const textAbout = new Map<number, string>();
      for (const tokens of corpus.next(2000)) {
        oracle.score(tokens);
        const { text, columns } = tokens.documents;
        text.forEach((document, row) => textAbout.set((columns.element as Int32Array)[row], document));
      }
      const set = qaProbes(corpus.source, { rng: new Rng(15), perBin: 1e6 });
      let unstated = 0;
      for (const probe of set.probes) {
        const answer = oracle.answer(probe);
        expect(answer, `${mode}: ${probe.question}`).toBe(probe.answerIndex);
        expect(set.candidates[probe.attribute][answer]).toBe(probe.answer);
        if (mode === 'all-attributes') expect(textAbout.get(probe.element)).toContain(set.candidates[probe.attribute][answer]);
        expect(oracle.answer(probe, { abstain: true })).toBe(probe.answerIndex);
        if (probe.attributeCount === 0) unstated++;
      }
      // Every individual seen so far is probed; in single-attribute mode many attributes were never stated.
      expect(new Set(set.probes.map((probe) => probe.element)).size).toBe(corpus.source.elements);
      if (mode === 'single-attribute') expect(unstated).toBeGreaterThan(100);
    }
  });

  it('refuses a probe about an individual the source has not created or an attribute it lacks', () => {
    const corpus = testCorpus({ seed: 16 });
    const oracle = new OraclePredictor(corpus.source);
    for (const tokens of corpus.next(100)) oracle.score(tokens);
    const { elements, attributeCount } = corpus.source;
    for (const probe of [{ element: elements, attribute: 0 }, { element: -1, attribute: 0 }, { element: 0, attribute: attributeCount }]) {
      expect(() => oracle.answer(probe)).toThrow(KolmoError);
    }
  });

  it('reports the entropy per document by slot, which the mean oracle bits approach', () => {
    const corpus = testCorpus({ seed: 13 });
    const oracle = new OraclePredictor(corpus.source);
    const batches = corpus.next(20000, 2000);
    for (const tokens of batches) oracle.score(tokens);
    const stats = oracle.statistics();
    expect(stats.entropy_value_bits).toBe(0);
    expect(stats.entropy_bits).toBeCloseTo(stats.entropy_syntax_bits + stats.entropy_name_bits, 12);
    expect(stats.mean_value_bits).toBe(0);
    // The mean of 20000 i.i.d. document code lengths: within 5 standard errors of the entropy. The variance
    // of −log2 π under G is Σ π (log2 π)² − H², computed from the same weights.
    const measure = corpus.source.trueMeasure()!;
    let second = 0;
    for (const weights of [measure.head, measure.tail]) for (const w of weights) if (w > 0) second += w * Math.log2(w) ** 2;
    const sd = Math.sqrt(second - stats.entropy_name_bits ** 2);
    expect(Math.abs(stats.mean_name_bits - stats.entropy_name_bits)).toBeLessThan((5 * sd) / Math.sqrt(20000));
    expect(stats.truncation_mass).toBeGreaterThanOrEqual(0);
  });
});
