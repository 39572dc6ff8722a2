import { Rng, Slot, type TokenBatch } from '@kolmo/core';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { qaProbes } from '../qa-probes.ts';
import { describe, expect, it } from 'vitest';
import { BayesOptimalPredictor } from './bayes-optimal-predictor.ts';
import { CapacityLimitedPredictor } from './capacity-limited-predictor.ts';
import { testCorpus } from './syntax-knowledge-corpus.fixture.ts';

const parameterBits = 16;

/** One corpus, trained once per predictor: 4000 training documents and 1000 held out. */
function setup(seed: number) {
  const corpus = testCorpus({ seed, prior: new PitmanYorPrior(0.6, 5) });
  const training = corpus.next(4000, 1000);
  const heldOut = corpus.next(1000, 1000);
  const train = <P extends BayesOptimalPredictor>(predictor: P): P => {
    for (const tokens of training) predictor.score(tokens);
    return predictor;
  };
  const capacity = (capacityBits: number) => train(new CapacityLimitedPredictor(corpus.source, { capacityBits, parameterBits }));
  return { corpus, training, heldOut, train, capacity };
}

const sum = (bits: Float64Array) => bits.reduce((s, x) => s + x, 0);

describe('capacity-limited predictor', () => {
  const { corpus, training, heldOut, train, capacity } = setup(31);
  const source = corpus.source;
  const syntaxBits = source.syntaxModel.freeParameters * parameterBits;

  it('scores training like Bayes-optimal (its training pass)', () => {
    const bayes = new BayesOptimalPredictor(source);
    const limited = new CapacityLimitedPredictor(source, { capacityBits: 1000, parameterBits });
    for (const tokens of training) expect(limited.score(tokens)).toEqual(bayes.score(tokens));
  });

  it('stores nothing with C = 0: every held-out document is new, syntax uniform', () => {
    const predictor = capacity(0);
    const stats = predictor.statistics();
    expect(stats.stored_elements).toBe(0);
    expect(stats.model_bits).toBe(0);
    expect(stats.syntax_stored).toBe(0);
    expect(stats.p_new).toBe(1);
    const bits = predictor.evaluate(heldOut[0]);
    const nameBits = Math.log2(source.nameCount);
    for (let i = 0; i < heldOut[0].length; i++) {
      if (heldOut[0].slot[i] === Slot.name && bits[i] > 0) expect(bits[i]).toBe(nameBits);
      if (heldOut[0].slot[i] === Slot.syntax && bits[i] > 0) expect(bits[i]).toBeCloseTo(Math.log2(5) + Math.log2(source.templates), 12);
    }
  });

  it('equals Bayes-optimal on held-out documents when C covers everything', () => {
    const bayes = train(new BayesOptimalPredictor(source));
    const predictor = capacity(1e12);
    const stats = predictor.statistics();
    expect(stats.stored_elements).toBe(bayes.elements.size);
    for (const tokens of heldOut) expect(predictor.evaluate(tokens)).toEqual(bayes.evaluate(tokens));
    const reference = bayes.statistics();
    for (const key of ['expected_syntax_bits', 'expected_knowledge_bits', 'expected_excess_knowledge_bits', 'p_new']) {
      expect(stats[key]).toBeCloseTo(reference[key], 12);
    }
  });

  it('stores syntax first, then elements in decreasing training count, within the budget', () => {
    const budget = syntaxBits + 3000;
    const predictor = capacity(budget);
    const stats = predictor.statistics();
    expect(stats.syntax_stored).toBe(1);
    expect(stats.model_bits).toBeLessThanOrEqual(budget);
    expect(stats.stored_elements).toBeGreaterThan(10);
    expect(stats.stored_elements).toBeLessThan(predictor.elements.size);
    let weakestStored = Infinity;
    let strongestUnstored = 0;
    let cost = syntaxBits;
    for (let e = 0; e < source.elements; e++) {
      const local = predictor.elements.localOf(e);
      if (local < 0) continue;
      const count = predictor.elements.count(local);
      if (predictor.stores(e)) {
        weakestStored = Math.min(weakestStored, count);
        cost += Math.log2(source.nameCount - local);
        for (let a = 0; a < source.attributeCount; a++) if (predictor.elements.value(local, a) >= 0) cost -= source.log2ValueProbability(a);
      } else {
        strongestUnstored = Math.max(strongestUnstored, count);
      }
    }
    expect(weakestStored).toBeGreaterThanOrEqual(strongestUnstored);
    expect(stats.model_bits).toBeCloseTo(cost, 6);
    // Syntax alone does not fit: nothing is stored.
    expect(capacity(syntaxBits - 1).statistics().stored_elements).toBe(0);
  });

  it('has data bits L_C(X) equal to the frozen model coding the training set', () => {
    for (const capacityBits of [0, syntaxBits, syntaxBits + 2000, 1e12]) {
      const predictor = capacity(capacityBits);
      const stats = predictor.statistics();
      const coded = training.reduce((s, tokens) => s + sum(predictor.evaluate(tokens)), 0);
      expect(Math.abs(stats.data_bits - coded) / coded).toBeLessThan(1e-9);
      expect(stats.two_part_bits).toBeCloseTo(stats.model_bits + stats.data_bits, 6);
    }
  });

  it('has expected test loss decreasing as C grows, down to the Bayes-optimal loss', () => {
    const grid = [0, syntaxBits, ...Array.from({ length: 14 }, (_, i) => syntaxBits + 50 * 2 ** i), 1e12];
    let previous = { expected_bits: Infinity, stored_elements: -1 };
    for (const capacityBits of grid) {
      const stats = capacity(capacityBits).statistics();
      expect(stats.expected_bits).toBeLessThanOrEqual(previous.expected_bits);
      expect(stats.stored_elements).toBeGreaterThanOrEqual(previous.stored_elements);
      previous = stats as typeof previous;
    }
    const bayes = train(new BayesOptimalPredictor(source)).statistics();
    expect(previous.expected_bits).toBeCloseTo(bayes.expected_bits, 10);
    // And the held-out sample agrees with the ordering at the ends: more capacity, fewer bits.
    const heldOutBits = (predictor: CapacityLimitedPredictor) => heldOut.reduce((s, tokens) => s + sum(predictor.evaluate(tokens)), 0);
    expect(heldOutBits(capacity(syntaxBits + 5000))).toBeLessThan(heldOutBits(capacity(syntaxBits)));
  });

  it('re-freezes after further training', () => {
    const predictor = capacity(syntaxBits + 2000);
    const before = predictor.statistics();
    predictor.score(heldOut[0]);
    const after = predictor.statistics();
    expect(after.documents_seen).toBe(before.documents_seen + heldOut[0].documents.text.length);
    expect(after.data_bits).toBeGreaterThan(before.data_bits);
  });
});

describe('capacity-limited predictor answering QA probes', () => {
  it('hallucinates on unstored individuals at the rate 1 − max_v G0(v), and never when abstaining', () => {
    const corpus = testCorpus({
      seed: 32,
      prior: new PitmanYorPrior(0.7, 20),
      valueCounts: { birthDate: 12, birthCity: 10, university: 8, major: 4, employer: 5 },
    });
    const predictor = new CapacityLimitedPredictor(corpus.source, { capacityBits: corpus.source.syntaxModel.freeParameters * 16 + 4000, parameterBits: 16 });
    const training: TokenBatch[] = corpus.next(5000, 1000);
    for (const tokens of training) predictor.score(tokens);
    const probes = qaProbes(corpus.source, { rng: new Rng(9), perBin: 1e6 }).probes;
    let unstored = 0;
    let wrong = 0;
    let expectedWrong = 0;
    let variance = 0;
    for (const probe of probes) {
      const guess = predictor.answer(probe);
      const abstained = predictor.answer(probe, { abstain: true });
      if (predictor.stores(probe.element)) {
        if (probe.attributeCount > 0) {
          expect(guess).toBe(probe.answerIndex);
          expect(abstained).toBe(probe.answerIndex);
        }
        continue;
      }
      expect(abstained).toBeNull();
      unstored++;
      if (guess !== probe.answerIndex) wrong++;
      const chance = 2 ** probe.log2ChanceCorrect;
      expectedWrong += 1 - chance;
      variance += chance * (1 - chance);
    }
    expect(unstored).toBeGreaterThan(1000);
    // Each unstored probe is wrong with probability 1 − 1/|V_a| independently (values are i.i.d. under G0).
    expect(Math.abs(wrong - expectedWrong)).toBeLessThan(5 * Math.sqrt(variance));
  });
});
