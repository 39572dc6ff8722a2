import { Slot, type TokenBatch } from '@kolmo/core';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { type SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { describe, expect, it } from 'vitest';
import { BayesOptimalPredictor } from './bayes-optimal-predictor.ts';
import { marginalOnlyPrior, slotSum, testCorpus } from './syntax-knowledge-corpus.fixture.ts';
import { dirichletCategoricalCodeLength } from './template-counts.ts';

/**
 * The Bayes-mixture code length of a corpus in closed form, by slot, from the documents' structure alone:
 * syntax = Σ_docs −log2 P(attribute) + the Dirichlet–categorical marginal of the template counts;
 * name = −EPPF(block sizes)/ln 2 + Σ_k log2(F·L − k); value = Σ over first revelations of log2 |V_a|.
 */
function closedForm(source: SyntaxKnowledgeSource, batches: readonly TokenBatch[]) {
  const A = source.attributeCount;
  const T = source.templates;
  const counts = new Float64Array(A * T);
  const blocks: number[] = [];
  const revealed = new Map<number, number>();
  let attributeBits = 0;
  let valueBits = 0;
  for (const { documents } of batches) {
    const element = documents.columns.element as Int32Array;
    const attribute = documents.columns.attribute as Int32Array;
    const template = documents.columns.template as Int32Array;
    for (let row = 0; row < element.length; row++) {
      const e = element[row];
      if (e === blocks.length) blocks.push(0);
      blocks[e]++;
      const shown = attribute[row] >= 0 ? [attribute[row]] : [...Array(A).keys()];
      for (const a of shown) {
        const t = attribute[row] >= 0 ? template[row] : source.templateOf(template[row], a);
        counts[a * T + t]++;
        if (attribute[row] >= 0) attributeBits -= source.log2AttributeProbability(a);
        const mask = revealed.get(e) ?? 0;
        if (!((mask >> a) & 1)) {
          revealed.set(e, mask | (1 << a));
          valueBits -= source.log2ValueProbability(a);
        }
      }
    }
  }
  let nameBits = -source.prior.logMarginal(blocks) / Math.LN2;
  for (let k = 0; k < blocks.length; k++) nameBits += Math.log2(source.nameCount - k);
  const templateBits = dirichletCategoricalCodeLength(counts, A, T, source.syntaxModel.prior);
  return { syntax: attributeBits + templateBits, templateBits, name: nameBits, value: valueBits };
}

const relative = (x: number, y: number) => Math.abs(x - y) / Math.abs(y);

describe('Bayes-optimal predictor', () => {
  const cases = [
    { label: 'single attribute, PY(0.5, 1), KT', options: { seed: 21, attributeWeights: [3, 1, 1, 1, 2] } },
    { label: 'all attributes, PY(0.3, 5), a = 1', options: { seed: 22, mode: 'all-attributes' as const, templatePrior: 1, templates: 6, prior: new PitmanYorPrior(0.3, 5) } },
    { label: 'single attribute, marginal-only PY(0.7, 0.5)', options: { seed: 23, prior: marginalOnlyPrior(0.7, 0.5) } },
  ];
  for (const { label, options } of cases) {
    it(`codes the corpus in the closed-form Bayes-mixture length, slot by slot, to 1e-9 (${label})`, () => {
      const corpus = testCorpus(options);
      const predictor = new BayesOptimalPredictor(corpus.source);
      const batches = corpus.next(4000, 600);
      const bits = batches.map((tokens) => predictor.score(tokens));
      const expected = closedForm(corpus.source, batches);
      expect(relative(slotSum(batches, bits, Slot.syntax), expected.syntax)).toBeLessThan(1e-9);
      expect(relative(slotSum(batches, bits, Slot.name), expected.name)).toBeLessThan(1e-9);
      expect(relative(slotSum(batches, bits, Slot.value), expected.value)).toBeLessThan(1e-9);
      // The predictor's own counts give the same template marginal.
      expect(relative(predictor.syntax.codeLength(), expected.templateBits)).toBeLessThan(1e-12);
    });
  }

  it('places its bits on the tokens the oracle uses (no bits elsewhere)', () => {
    const corpus = testCorpus({ seed: 24, mode: 'all-attributes' });
    const predictor = new BayesOptimalPredictor(corpus.source);
    let misplaced = 0;
    let valueTokensWithBits = 0;
    for (const tokens of corpus.next(1000)) {
      const bits = predictor.score(tokens);
      const oracle = tokens.trueBits!;
      for (let i = 0; i < tokens.length; i++) {
        // The oracle (true weights) puts bits on every sentence's first syntax token and the first name token;
        // Bayes-optimal uses those and the first token of each value not revealed before.
        if (tokens.slot[i] === Slot.value) {
          if (bits[i] > 0) valueTokensWithBits++;
          if (bits[i] > 0 && tokens.slot[i - 1] === Slot.value && tokens.doc[i - 1] === tokens.doc[i]) misplaced++;
        } else if ((oracle[i] === 0) !== (bits[i] === 0)) {
          misplaced++;
        }
      }
    }
    expect(misplaced).toBe(0);
    expect(valueTokensWithBits).toBeGreaterThan(0);
  });

  it('evaluates held-out documents with its state frozen', () => {
    const corpus = testCorpus({ seed: 25 });
    const predictor = new BayesOptimalPredictor(corpus.source);
    for (const tokens of corpus.next(2000)) predictor.score(tokens);
    const before = predictor.statistics();
    const [heldOut] = corpus.next(300, 300);
    const first = predictor.evaluate(heldOut);
    expect(predictor.evaluate(heldOut)).toEqual(first);
    expect(predictor.statistics()).toEqual(before);
    // Frozen: a held-out element never seen in training is new in every held-out document that shows it.
    const element = heldOut.documents.columns.element as Int32Array;
    const seen = predictor.elements;
    let newDocuments = 0;
    for (let i = 0; i < heldOut.length; i++) {
      if (heldOut.slot[i] !== Slot.name || first[i] === 0) continue;
      const row = heldOut.doc[i] - heldOut.documents.first;
      if (seen.localOf(element[row]) < 0) {
        newDocuments++;
        expect(first[i]).toBeCloseTo(-Math.log2(seen.seating.probabilityNew()) + Math.log2(corpus.source.nameCount - seen.size), 12);
      }
    }
    expect(newDocuments).toBeGreaterThan(0);
  });

  it('reports the exact expected test loss, which held-out documents estimate without bias', () => {
    const corpus = testCorpus({ seed: 26 });
    const predictor = new BayesOptimalPredictor(corpus.source);
    for (const tokens of corpus.next(3000)) predictor.score(tokens);
    const stats = predictor.statistics();
    expect(stats.p_new).toBeCloseTo(predictor.elements.seating.probabilityNew(), 15);
    expect(stats.expected_excess_syntax_bits).toBeGreaterThan(0);
    expect(stats.expected_excess_knowledge_bits).toBeGreaterThan(0);
    expect(stats.expected_bits).toBeCloseTo(stats.expected_syntax_bits + stats.expected_knowledge_bits, 10);
    // Mean held-out bits per document over 20000 documents (each coded independently of the others given the
    // frozen state) against the expectation: within 5 standard errors (the sample's own).
    const perDocument: number[] = [];
    for (const tokens of corpus.next(20000, 2000)) {
      const bits = predictor.evaluate(tokens);
      const first = tokens.documents.first;
      const sums = new Float64Array(tokens.documents.text.length);
      for (let i = 0; i < tokens.length; i++) sums[tokens.doc[i] - first] += bits[i];
      perDocument.push(...sums);
    }
    const n = perDocument.length;
    const mean = perDocument.reduce((s, x) => s + x, 0) / n;
    const sd = Math.sqrt(perDocument.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - stats.expected_bits)).toBeLessThan((5 * sd) / Math.sqrt(n));
  });

  it('answers QA probes from the values documents revealed, else guesses from G0 or abstains', () => {
    const corpus = testCorpus({ seed: 27 });
    const predictor = new BayesOptimalPredictor(corpus.source);
    for (const tokens of corpus.next(2000)) predictor.score(tokens);
    const source = corpus.source;
    let known = 0;
    for (let e = 0; e < source.elements; e++) {
      for (let a = 0; a < source.attributeCount; a++) {
        const revealed = source.attributeCountOf(e, a) > 0;
        const answer = predictor.answer({ element: e, attribute: a }, { abstain: true });
        if (revealed) {
          known++;
          expect(answer).toBe(source.valueOf(e, a));
        } else {
          expect(answer).toBeNull();
          expect(predictor.answer({ element: e, attribute: a })).toBe(0);
        }
      }
    }
    expect(known).toBeGreaterThan(0);
  });
});
