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

  describe('evaluate: held-out scoring with the model frozen', () => {
    // Training: tokens 0 … 6 of V = 8 in documents of 1 … 30 tokens; held out: other documents that also hold
    // token 7, never seen in training, so contexts containing it have no entries.
    const size = 8;
    const rng = new Rng(31);
    const source = new MarkovSource(rng.split('source'), size - 1, 0.5);
    function stream(name: string, length: number, firstDocument: number, unseenRate = 0): { ids: Int32Array; docs: Int32Array } {
      const { ids } = source.sample(rng.split(`${name} tokens`), length);
      const cut = rng.split(`${name} documents`);
      const docs = new Int32Array(length);
      for (let t = 0, doc = firstDocument, left = 1 + cut.nextInt(30); t < length; t++, left--) {
        if (left === 0) {
          doc++;
          left = 1 + cut.nextInt(30);
        }
        docs[t] = doc;
        if (cut.nextFloat() < unseenRate) ids[t] = size - 1;
      }
      return { ids, docs };
    }
    const firstTraining = stream('first training', 3000, 0);
    const heldOut = stream('held out', 600, 1_000_000, 0.1);
    const moreHeldOut = stream('more held out', 400, 2_000_000, 0.1);
    const secondTraining = stream('second training', 2000, 500);
    const all = [
      { name: 'Kneser–Ney, estimated discounts, order 3', options: kneserNey(size, 3) },
      { name: 'Kneser–Ney, estimated discounts, order 2, context across documents', options: kneserNey(size, 2, false) },
      { name: 'Kneser–Ney, fixed discounts, order 2', options: { ...kneserNey(size, 2), discounts: [0.7, 1.2, 2.9], estimateDiscounts: false } as NgramModelOptions },
      { name: 'Pitman–Yor, sampled seating, order 3', options: pitmanYor(size, 3, 0.75, 1, 'sampled') },
      { name: 'Pitman–Yor, minimal seating, order 2, context across documents', options: { ...pitmanYor(size, 2, 0.5, 0.5, 'minimal'), resetAtDocument: false } },
      { name: 'Kneser–Ney, order 0', options: kneserNey(size, 0) },
    ];
    const batch = (part: { ids: Int32Array; docs: Int32Array }, from = 0, to = part.ids.length) =>
      tokenBatchFrom(part.ids.subarray(from, to), part.docs.subarray(from, to));
    const trainedOn = (options: NgramModelOptions, ...parts: { ids: Int32Array; docs: Int32Array }[]) => {
      const predictor = new NgramPredictor(options, () => new Rng(9).split('seating'));
      for (const part of parts) predictor.score(batch(part));
      return predictor;
    };

    it.each(all)('$name: later score bits are exactly those of a predictor that never evaluated', ({ options }) => {
      const evaluating = trainedOn(options, firstTraining);
      const plain = trainedOn(options, firstTraining);
      const before = evaluating.statistics();
      evaluating.evaluate(batch(heldOut));
      evaluating.evaluate(batch(moreHeldOut));
      expect(evaluating.statistics()).toEqual(before);
      expect(evaluating.score(batch(secondTraining))).toEqual(plain.score(batch(secondTraining)));
      expect(evaluating.statistics()).toEqual(plain.statistics());
    });

    it.each(all)('$name: the first token of each held-out document costs what score on a clone trained the same way charges', ({ options }) => {
      // A clone that scores a held-out document from the training state predicts its first token with the same
      // model and context as evaluate (then it learns, so only the first token is comparable). Where documents
      // are independent that holds for every held-out document; otherwise for the first one only.
      const predictor = trainedOn(options, firstTraining);
      const bits = predictor.evaluate(batch(heldOut));
      let compared = 0;
      for (let start = 0; start < heldOut.ids.length; ) {
        let end = start + 1;
        while (end < heldOut.ids.length && heldOut.docs[end] === heldOut.docs[start]) end++;
        const clone = trainedOn(options, firstTraining);
        expect(clone.score(batch(heldOut, start, end))[0]).toBe(bits[start]);
        compared++;
        if (!options.resetAtDocument) break;
        start = end;
      }
      expect(compared).toBe(options.resetAtDocument ? heldOut.docs[heldOut.docs.length - 1] - heldOut.docs[0] + 1 : 1);
    });

    it.each(all)('$name: learns nothing, so a repeated document costs the same bits again (score would learn it)', ({ options }) => {
      const predictor = trainedOn(options, firstTraining);
      const document = heldOut.ids.subarray(0, 40);
      const twice = tokenBatchFrom([...document, ...document], [...new Array(40).fill(7_000_000), ...new Array(40).fill(7_000_001)]);
      const evaluated = predictor.evaluate(twice);
      const scored = trainedOn(options, firstTraining).score(twice);
      const sum = (bits: Float64Array) => bits.reduce((a, b) => a + b, 0);
      if (options.resetAtDocument) expect(evaluated.subarray(40)).toEqual(evaluated.subarray(0, 40));
      expect(evaluated[0]).toBe(scored[0]);
      expect(sum(scored.subarray(40))).toBeLessThan(sum(evaluated.subarray(40)));
    });

    it.each(all)('$name: one held-out stream however it is cut into evaluate calls, restarted where training stands after score', ({ options }) => {
      const whole = trainedOn(options, firstTraining).evaluate(batch(heldOut));
      const predictor = trainedOn(options, firstTraining);
      const parts = new Float64Array(heldOut.ids.length);
      for (let start = 0; start < heldOut.ids.length; start += 97) parts.set(predictor.evaluate(batch(heldOut, start, Math.min(heldOut.ids.length, start + 97))), start);
      expect(parts).toEqual(whole);
      // Training more moves the held-out stream back to the training position: as a predictor trained on both.
      predictor.score(batch(secondTraining));
      expect(predictor.evaluate(batch(heldOut))).toEqual(trainedOn(options, firstTraining, secondTraining).evaluate(batch(heldOut)));
    });

    it('refuses token ids outside the vocabulary, leaving the held-out stream where it was', () => {
      const predictor = trainedOn(kneserNey(size, 2, false), firstTraining);
      const expected = trainedOn(kneserNey(size, 2, false), firstTraining).evaluate(batch(heldOut));
      expect(() => predictor.evaluate(tokenBatchFrom([1, 2, size], [5, 5, 5]))).toThrow(/outside the vocabulary/);
      expect(() => predictor.evaluate(tokenBatchFrom([-1]))).toThrow(/outside the vocabulary/);
      expect(predictor.evaluate(batch(heldOut))).toEqual(expected);
    });
  });

  it('refuses token ids outside the vocabulary', () => {
    expect(() => new NgramPredictor(kneserNey(5, 2)).score(tokenBatchFrom([1, 5]))).toThrow(/outside the vocabulary/);
    expect(() => new NgramPredictor(kneserNey(5, 2)).score(tokenBatchFrom([-1]))).toThrow(/outside the vocabulary/);
  });
});
