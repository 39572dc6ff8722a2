import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { describe, expect, it } from 'vitest';
import { BayesOptimalPredictor } from './bayes-optimal-predictor.ts';
import { MemoryBoundedPredictor, pitmanYorParametersOf } from './memory-bounded-predictor.ts';
import { testCorpus } from './syntax-knowledge-corpus.fixture.ts';

const py = { discount: 0.5, concentration: 1 };

describe('memory-bounded predictor', () => {
  it('equals Bayes-optimal exactly with M ≥ all elements and decay 0 (training, held out, statistics)', () => {
    for (const mode of ['single-attribute', 'all-attributes'] as const) {
      const corpus = testCorpus({ seed: 41, mode });
      const bayes = new BayesOptimalPredictor(corpus.source);
      const memory = new MemoryBoundedPredictor(corpus.source, { memory: 1e9, decay: 0, ...py });
      for (const tokens of corpus.next(mode === 'single-attribute' ? 3000 : 1000, 500)) expect(memory.score(tokens)).toEqual(bayes.score(tokens));
      for (const tokens of corpus.next(500)) expect(memory.evaluate(tokens)).toEqual(bayes.evaluate(tokens));
      const expected = bayes.statistics();
      const stats = memory.statistics();
      expect(stats.stored_elements).toBe(expected.elements_seen);
      expect(stats.evictions).toBe(0);
      for (const key of ['p_new', 'expected_syntax_bits', 'expected_knowledge_bits']) expect(stats[key]).toBeCloseTo(expected[key], 12);
    }
  });

  it('keeps frequent elements and evicts rare ones first when memory is small', () => {
    const corpus = testCorpus({ seed: 42, prior: new PitmanYorPrior(0.5, 10) });
    const M = 40;
    const memory = new MemoryBoundedPredictor(corpus.source, { memory: M, decay: 0, discount: 0.5, concentration: 10 });
    for (const tokens of corpus.next(6000, 1000)) memory.score(tokens);
    const source = corpus.source;
    const stats = memory.statistics();
    expect(stats.stored_elements).toBe(M);
    expect(stats.evictions).toBeGreaterThanOrEqual(source.elements - M);
    // Rank the seen elements by their training count: the M/2 most frequent are all retained, and what is
    // retained is overwhelmingly frequent while what is evicted is overwhelmingly rare.
    const byCount = [...Array(source.elements).keys()].sort((x, y) => source.count(y) - source.count(x) || x - y);
    for (const e of byCount.slice(0, M / 2)) expect(memory.stores(e)).toBe(true);
    const meanCount = (elements: number[]) => elements.reduce((s, e) => s + source.count(e), 0) / elements.length;
    const retained = byCount.filter((e) => memory.stores(e));
    const evicted = byCount.filter((e) => !memory.stores(e));
    expect(meanCount(retained)).toBeGreaterThan(10 * meanCount(evicted));
  });

  it('forgets with decay: counts shrink by (1 − decay) per document, and the predictive stays proper', () => {
    const corpus = testCorpus({ seed: 43 });
    const decay = 0.01;
    const memory = new MemoryBoundedPredictor(corpus.source, { memory: 30, decay, ...py });
    const batches = corpus.next(3000, 300);
    let documents = 0;
    for (const tokens of batches) {
      memory.score(tokens);
      documents += tokens.documents.text.length;
      const stored = memory.storedKnowledge();
      const total = stored.probabilities.reduce((s, q) => s + q, 0) + stored.probabilityNew;
      expect(total).toBeCloseTo(1, 12);
      expect(stored.probabilities.every((q) => q > 0)).toBe(true);
    }
    // The last document's element: seen at the last step, its count is (previous)·(1 − decay) + 1 ≥ 1.
    const last = batches[batches.length - 1].documents.columns.element as Int32Array;
    const element = last[last.length - 1];
    expect(memory.countOf(element)).toBeGreaterThanOrEqual(1);
    // A count seen once t documents ago (and never again) is (1 − decay)^t.
    const stats = memory.statistics();
    expect(stats.documents_seen).toBe(documents);
    expect(stats.evictions).toBeGreaterThan(0);
    const firstSeen = new Map<number, number>();
    const seen = new Map<number, number>();
    let index = 0;
    for (const tokens of batches) {
      for (const e of tokens.documents.columns.element as Int32Array) {
        index++;
        if (!firstSeen.has(e)) firstSeen.set(e, index);
        seen.set(e, (seen.get(e) ?? 0) + 1);
      }
    }
    let checked = 0;
    for (const [e, at] of firstSeen) {
      if (seen.get(e) !== 1 || !memory.stores(e)) continue;
      expect(memory.countOf(e)).toBeCloseTo((1 - decay) ** (documents - at), 10);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('predicts evicted elements as new again and answers only what it stores', () => {
    const corpus = testCorpus({ seed: 44 });
    const memory = new MemoryBoundedPredictor(corpus.source, { memory: 5, decay: 0.05, ...py });
    for (const tokens of corpus.next(2000)) memory.score(tokens);
    const source = corpus.source;
    let evicted = 0;
    for (let e = 0; e < source.elements; e++) {
      if (memory.stores(e)) continue;
      evicted++;
      expect(memory.answer({ element: e, attribute: 0 }, { abstain: true })).toBeNull();
      expect(memory.answer({ element: e, attribute: 0 })).toBe(0);
    }
    expect(evicted).toBeGreaterThan(0);
    expect(memory.statistics().stored_elements).toBe(5);
  });

  it('takes α and β from a Pitman–Yor prior, the Dirichlet process (α = 0), or the config', () => {
    expect(pitmanYorParametersOf(new PitmanYorPrior(0.3, 2), {})).toEqual({ discount: 0.3, concentration: 2 });
    expect(pitmanYorParametersOf(new PitmanYorPrior(0.3, 2), { concentration: 4 })).toEqual({ discount: 0.3, concentration: 4 });
    // A Dirichlet process declares α = 0 (plugins/priors tests that DirichletProcessPrior does).
    const dirichletProcess = { name: 'any name', seating: () => { throw new Error('unused'); }, logMarginal: () => 0, pitmanYor: { discount: 0, concentration: 3 } };
    expect(pitmanYorParametersOf(dirichletProcess, {})).toEqual({ discount: 0, concentration: 3 });
    // The typed capability, not the name or the shape: a look-alike without it gives nothing.
    expect(pitmanYorParametersOf({ name: 'dirichlet-process(β=3)', concentration: 3 } as never, {})).toBeUndefined();
    expect(pitmanYorParametersOf({ name: 'finite-dirichlet', concentration: 3, elements: 10 } as never, {})).toBeUndefined();
  });
});
