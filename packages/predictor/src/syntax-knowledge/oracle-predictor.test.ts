import { Slot } from '@kolmo/core';
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
