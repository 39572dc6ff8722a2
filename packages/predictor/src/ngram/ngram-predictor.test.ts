import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { AdaptiveSymbolPredictor } from '../adaptive-bytes-predictor.ts';
import { createNgramModel, type NgramModelOptions } from './create-ngram-model.ts';
import { NgramPredictor } from './ngram-predictor.ts';
import { MarkovSource } from './testing/markov-source.ts';
import { tokenBatchFrom } from './testing/token-batch-from.ts';

const kneserNey = (vocabularySize: number, order: number, resetAtDocument = true): NgramModelOptions => ({
  smoothing: 'kneser-ney',
  vocabularySize,
  order,
  resetAtDocument,
  discounts: [0.5, 1, 1.5],
  estimateDiscounts: true,
});

const pitmanYor = (
  vocabularySize: number,
  order: number,
  discount: number,
  concentration: number,
  seating: 'sampled' | 'minimal',
): NgramModelOptions => ({
  smoothing: 'pitman-yor',
  vocabularySize,
  order,
  resetAtDocument: true,
  discounts: new Array(order + 1).fill(discount),
  concentrations: new Array(order + 1).fill(concentration),
  seating,
});

/** Mean of values[from … to) and its standard error by batch means (the terms are autocorrelated). */
function meanWithError(values: Float64Array, from: number, to: number, batch = 2000): { mean: number; error: number } {
  const batches: number[] = [];
  for (let start = from; start + batch <= to; start += batch) {
    let sum = 0;
    for (let i = start; i < start + batch; i++) sum += values[i];
    batches.push(sum / batch);
  }
  const mean = batches.reduce((a, b) => a + b, 0) / batches.length;
  const variance = batches.reduce((a, b) => a + (b - mean) ** 2, 0) / (batches.length - 1);
  return { mean, error: Math.sqrt(variance / batches.length) };
}

describe('NgramPredictor', () => {
  describe('on an order-1 Markov source its per-token loss converges to the entropy rate', () => {
    // V = 8, n = 200,000 tokens. Over the last half the loss must be within 5 standard errors of H plus the cost
    // of learning still paid at this sample size: a P-parameter universal code pays ≈ (P/2) log2 n bits in total,
    // so ≈ P/n bits per token over [n/2, n) (P = V^k (V − 1) for an order-k model); we allow 2P/n.
    // Pitman–Yor with sampled seating uses d = 1/4: its table counts grow like c^d, which adds a loss term decaying
    // like c^(2d − 2), no slower than the parametric 1/c only for d ≤ 1/2 (a finite source wants a small discount).
    const size = 8;
    const n = 200_000;
    const rng = new Rng(2024);
    const source = new MarkovSource(rng.split('source'), size, 1);
    const { ids, trueBits } = source.sample(rng.split('tokens'), n);
    const entropyRate = source.entropyRate();

    it('(the sample itself is typical: its true code length is within 5σ of H)', () => {
      const truth = meanWithError(trueBits, n / 2, n);
      expect(Math.abs(truth.mean - entropyRate)).toBeLessThan(5 * truth.error);
    });

    it.each([
      { name: 'Kneser–Ney, order 1', options: kneserNey(size, 1) },
      { name: 'Kneser–Ney, order 3', options: kneserNey(size, 3) },
      { name: 'Pitman–Yor sampled, order 1', options: pitmanYor(size, 1, 0.25, 1, 'sampled') },
      { name: 'Pitman–Yor sampled, order 3', options: pitmanYor(size, 3, 0.25, 1, 'sampled') },
      { name: 'Pitman–Yor minimal, order 2', options: pitmanYor(size, 2, 0.75, 1, 'minimal') },
    ])('$name', ({ options }) => {
      const bits = new NgramPredictor(options, () => new Rng(7)).score(tokenBatchFrom(ids));
      const excess = new Float64Array(n);
      for (let t = 0; t < n; t++) excess[t] = bits[t] - trueBits[t];
      const learning = (2 * size ** options.order * (size - 1)) / n;
      const paired = meanWithError(excess, n / 2, n);
      const loss = meanWithError(bits, n / 2, n);
      expect(paired.mean).toBeGreaterThan(-5 * paired.error);
      expect(paired.mean).toBeLessThan(learning + 5 * paired.error);
      expect(Math.abs(loss.mean - entropyRate)).toBeLessThan(5 * loss.error + learning);
    });
  });

  describe('order 0 on an i.i.d. source is an adaptive unigram', () => {
    const size = 50;
    const rng = new Rng(77);
    const p = new Float64Array(size);
    for (let w = 0; w < size; w++) p[w] = 1 / (w + 1);
    const ids = new Int32Array(20_000);
    const draw = rng.split('iid');
    const total = p.reduce((a, b) => a + b, 0);
    for (let t = 0; t < ids.length; t++) {
      let u = draw.nextFloat() * total;
      let w = 0;
      while (w < size - 1 && (u -= p[w]) >= 0) w++;
      ids[t] = w;
    }
    const tokens = tokenBatchFrom(ids, ids.map((_, t) => Math.floor(t / 37)));

    it('Pitman–Yor with d = 0, θ = V a is exactly the Dirichlet(a) adaptive model (a = 1/2: KT)', () => {
      for (const a of [0.5, 1]) {
        const expected = new AdaptiveSymbolPredictor(size, a).score(tokens);
        for (const seating of ['sampled', 'minimal'] as const) {
          const bits = new NgramPredictor(pitmanYor(size, 0, 0, size * a, seating), () => new Rng(1)).score(tokens);
          let worst = 0;
          for (let t = 0; t < ids.length; t++) worst = Math.max(worst, Math.abs(bits[t] - expected[t]) / expected[t]);
          expect(worst).toBeLessThan(1e-12);
        }
      }
    });

    it('its predictive depends only on the counts: any reordering of the past gives the same distribution', () => {
      const shuffled = ids.slice();
      const shuffle = rng.split('shuffle');
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = shuffle.nextInt(i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      for (const options of [kneserNey(size, 0), pitmanYor(size, 0, 0.6, 1, 'minimal')]) {
        const a = createNgramModel(options);
        const b = createNgramModel(options);
        for (let t = 0; t < ids.length; t++) {
          a.observe(ids[t]);
          b.observe(shuffled[t]);
        }
        for (let w = 0; w < size; w++) expect(a.probabilityOf(w)).toBeCloseTo(b.probabilityOf(w), 14);
      }
    });

    it('Kneser–Ney order 0 codes within the KT regret bound of the KT code length', () => {
      // Both are within O((V − 1)/2 log2 n) of the empirical entropy of the sequence; their difference must be too.
      const kt = new AdaptiveSymbolPredictor(size, 0.5).score(tokens).reduce((s, b) => s + b, 0);
      const kn = new NgramPredictor(kneserNey(size, 0)).score(tokens).reduce((s, b) => s + b, 0);
      expect(Math.abs(kn - kt)).toBeLessThan(((size - 1) / 2) * Math.log2(ids.length) + size);
    });
  });

  describe('is deterministic', () => {
    const rng = new Rng(8);
    const { ids } = new MarkovSource(rng.split('source'), 30, 0.3).sample(rng.split('tokens'), 20_000);
    const docs = ids.map((_, t) => Math.floor(t / 101));
    const all = [kneserNey(30, 3), pitmanYor(30, 3, 0.75, 1, 'sampled'), pitmanYor(30, 2, 0.5, 0, 'minimal')];

    it('same options and seed give identical bits, however the stream is cut into batches', () => {
      for (const options of all) {
        const whole = new NgramPredictor(options, () => new Rng(5).split('seating')).score(tokenBatchFrom(ids, docs));
        const pieces = new NgramPredictor(options, () => new Rng(5).split('seating'));
        const parts = new Float64Array(ids.length);
        // Batches never split a document: cut at document starts only.
        for (let start = 0; start < ids.length; ) {
          let end = Math.min(ids.length, start + 101 * (1 + (start % 7)));
          while (end < ids.length && docs[end] === docs[end - 1]) end++;
          parts.set(pieces.score(tokenBatchFrom(ids.subarray(start, end), docs.subarray(start, end))), start);
          start = end;
        }
        expect(parts.every((bits, t) => bits === whole[t])).toBe(true);
      }
    });

    it('sampled seating draws from its Rng: another seed gives other bits', () => {
      const options = pitmanYor(30, 3, 0.75, 1, 'sampled');
      const a = new NgramPredictor(options, () => new Rng(5)).score(tokenBatchFrom(ids, docs));
      const b = new NgramPredictor(options, () => new Rng(6)).score(tokenBatchFrom(ids, docs));
      expect(a).not.toEqual(b);
    });
  });

  it('starts a document where doc changes, and keeps its counts across documents', () => {
    const ids = [1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
    const docs = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
    for (const resetAtDocument of [true, false]) {
      const options = kneserNey(5, 2, resetAtDocument);
      const bits = new NgramPredictor(options).score(tokenBatchFrom(ids, docs));
      const model = createNgramModel(options);
      const expected = ids.map((w, t) => {
        if (t === 0 || docs[t] !== docs[t - 1]) model.beginDocument();
        return -Math.log2(model.observe(w));
      });
      expect([...bits]).toEqual(expected);
      const perDocument = [0, 4, 8].map((s) => bits.subarray(s, s + 4).reduce((a, b) => a + b, 0));
      expect(perDocument[1]).toBeLessThan(perDocument[0]);
      expect(perDocument[2]).toBeLessThan(perDocument[1]);
    }
  });

  it('refuses token ids outside the vocabulary', () => {
    expect(() => new NgramPredictor(kneserNey(5, 2)).score(tokenBatchFrom([1, 5]))).toThrow(/outside the vocabulary/);
    expect(() => new NgramPredictor(kneserNey(5, 2)).score(tokenBatchFrom([-1]))).toThrow(/outside the vocabulary/);
  });
});
