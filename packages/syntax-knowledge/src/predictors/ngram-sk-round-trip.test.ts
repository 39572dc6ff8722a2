import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import type { TokenBatch } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { testCorpus } from './syntax-knowledge-corpus.fixture.ts';
import { NgramPredictor, type NgramModelOptions } from '@kolmo/predictor';

/**
 * The structure-blind n-gram on a syntax-knowledge corpus, really coded: token ids through its codec and the
 * range coder (beginDocument where documents start, as the range coder stage does), decoded back and
 * detokenized into the very texts. Document boundaries (tokens per document) are side information, as for the
 * range coder stage, which sees the `doc` column: the model has no end-of-document symbol.
 * Short name and value lists keep the vocabulary (and the codec's O(V) a token) small.
 */
const corpusSettings = {
  firstNames: 120,
  lastNames: 120,
  valueCounts: { birthDate: 600, birthCity: 200, university: 100, major: 40, employer: 150 },
};

describe('ngram codec on a syntax-knowledge corpus', () => {
  const cases: { label: string; seed: number; mode: 'single-attribute' | 'all-attributes'; documents: number; options: (V: number) => NgramModelOptions }[] = [
    {
      label: 'Kneser–Ney, order 3, single attribute',
      seed: 41,
      mode: 'single-attribute',
      documents: 8000,
      options: (V) => ({ smoothing: 'kneser-ney', vocabularySize: V, order: 3, resetAtDocument: true, discounts: [0.5, 1, 1.5], estimateDiscounts: true }),
    },
    {
      label: 'Pitman–Yor (minimal seating), order 2, all attributes',
      seed: 42,
      mode: 'all-attributes',
      documents: 2000,
      options: (V) => ({ smoothing: 'pitman-yor', vocabularySize: V, order: 2, resetAtDocument: true, discounts: [0.75, 0.75, 0.75], concentrations: [1, 1, 1], seating: 'minimal' }),
    },
  ];

  it.each(cases)('decode(encode(x)) = x, within ideal/8 × 1.001 + 64 bytes ($label)', ({ seed, mode, documents, options }) => {
    const corpus = testCorpus({ seed, mode, documents, ...corpusSettings });
    const batches: TokenBatch[] = corpus.next(documents, 1000);
    const V = corpus.tokenizer.vocabularySize;
    const predictor = new NgramPredictor(options(V));
    let ideal = 0;
    for (const tokens of batches) for (const bits of predictor.score(tokens)) ideal += bits;

    const codec = predictor.codec(24);
    const encoder = new RangeEncoder();
    const lengths: number[] = [];
    let lastDocument = -1;
    for (const { ids, doc, length } of batches) {
      for (let i = 0; i < length; i++) {
        if (doc[i] !== lastDocument) {
          lastDocument = doc[i];
          codec.beginDocument?.();
          lengths.push(0);
        }
        codec.encode(ids[i], encoder);
        lengths[lengths.length - 1]++;
      }
    }
    const bytes = encoder.finish();

    const decoder = new RangeDecoder(bytes);
    const decoding = predictor.codec(24);
    const texts = lengths.map((length) => {
      decoding.beginDocument?.();
      const ids = new Int32Array(length);
      for (let i = 0; i < length; i++) ids[i] = decoding.decode(decoder);
      return corpus.tokenizer.detokenize(ids);
    });
    decoder.finish();
    expect(texts).toEqual(batches.flatMap((tokens) => [...tokens.documents.text]));

    const bound = (ideal / 8) * 1.001 + 64;
    expect(bytes.length).toBeLessThanOrEqual(bound);
  });
});
