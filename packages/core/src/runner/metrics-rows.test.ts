import { describe, expect, it } from 'vitest';
import { metricsRows } from './metrics-rows.ts';
import type { RunResult } from './run-pipeline.ts';

const result: RunResult = {
  documents: 10,
  bytes: 400,
  tokens: 100,
  truth: { bits: 50, slots: { syntax: { tokens: 60, bits: 20 }, name: { tokens: 40, bits: 30 } } },
  test: { documents: 5, bytes: 200, tokens: 50, truth: { bits: 26, slots: {} } },
  predictors: {
    ngram: { bits: 80, slots: { syntax: { tokens: 60, bits: 30 }, name: { tokens: 40, bits: 50 } }, test: { bits: 45, slots: {} }, statistics: { tokens: 99, contexts: 7 } },
  },
  generator: {},
  outputs: [],
  seconds: { build: 0, stream: 0 },
};

describe('metricsRows', () => {
  it('writes one row per predictor plus the truth, with per-document, per-slot and held-out columns', () => {
    const [ngram, truth] = metricsRows('n=10', { n: 10 }, result);
    expect(ngram).toMatchObject({ run: 'n=10', n: 10, predictor: 'ngram', documents: 10, bits: 80, bits_per_token: 0.8, bits_per_byte: 0.2, bits_per_document: 8 });
    expect(ngram).toMatchObject({ syntax_bits_per_document: 3, name_bits: 50, name_tokens: 40, test_documents: 5, test_bits_per_document: 9 });
    expect(truth).toMatchObject({ predictor: 'truth', bits: 50, name_bits_per_document: 3, test_bits: 26 });
  });

  it("keeps a predictor's statistic that shares a column's name under stat_<name>", () => {
    const [ngram] = metricsRows('r', {}, result);
    expect(ngram.tokens).toBe(100);
    expect(ngram.stat_tokens).toBe(99);
    expect(ngram.contexts).toBe(7);
  });
});
