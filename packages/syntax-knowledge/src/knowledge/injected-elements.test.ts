import { KahanSum, Rng, type DocumentBatch, type Prior } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { createSyntaxKnowledgeSource } from '../create-syntax-knowledge-source.ts';
import type { SyntaxKnowledgeSource } from '../syntax-knowledge-source.ts';
import { PitmanYorPrior } from './pitman-yor-prior.ts';

const fast = { truncation: { maxAtoms: 4096, tolerance: 1e-6 } };
const groups = [
  { elements: 4, rate: 0.2 },
  { elements: 40, rate: 0.1 },
];
const start = 1000;
const total = 6000;

function injectedSource(seed: number): SyntaxKnowledgeSource {
  const source = createSyntaxKnowledgeSource({ ...fast, seed, documents: total, mode: 'all-attributes' });
  source.injectElements(groups, new Rng(seed).split('injection'), { fromDocument: start });
  return source;
}

function generate(source: SyntaxKnowledgeSource, batch = 257): DocumentBatch[] {
  const out: DocumentBatch[] = [];
  while (source.documents < source.settings.documents) out.push(source.nextBatch(batch));
  return out;
}

function column(batches: DocumentBatch[], name: string): number[] {
  return batches.flatMap((b) => Array.from(b.columns[name] as unknown as ArrayLike<number>));
}

describe('injected individuals (theory §5 (b))', () => {
  it('mixes designated new individuals into the draws from a chosen document on, with the mixture’s oracle bits', () => {
    const source = injectedSource(21);
    const piOfG: number[] = [];
    const batches: DocumentBatch[] = [];
    while (source.documents < total) {
      const batch = source.nextBatch(257);
      batches.push(batch);
      // No batch straddles the start; G's weights of this batch's elements, read while it is current.
      expect(batch.first < start && batch.first + batch.text.length > start).toBe(false);
      for (const e of batch.columns.element as Int32Array) piOfG.push(source.knowledge.weight(e));
    }
    const element = column(batches, 'element');
    const injected = column(batches, 'injected');
    const isNew = column(batches, 'isNew');
    const frequency = column(batches, 'frequency');
    const knowledgeBits = column(batches, 'knowledgeBits');
    const remaining = source.injected!.remaining;
    const perGroup = [0, 0];
    const seen = [new Set<number>(), new Set<number>()];
    let next = 0;
    element.forEach((e, i) => {
      // Ids still count up in order of first appearance, injected individuals included.
      expect(isNew[i]).toBe(e === next ? 1 : 0);
      if (e === next) next++;
      if (i < start) {
        expect(injected[i]).toBe(0);
        expect(frequency[i]).toBe(piOfG[i]);
      } else if (injected[i] > 0) {
        const g = injected[i] - 1;
        perGroup[g]++;
        seen[g].add(e);
        expect(source.injected!.groupOf(e)).toBe(g);
        expect(frequency[i]).toBe(groups[g].rate / groups[g].elements);
        expect(Number.isNaN(piOfG[i])).toBe(true); // no atom of G
      } else {
        expect(source.injected!.groupOf(e)).toBe(-1);
        expect(frequency[i]).toBe(remaining * piOfG[i]);
      }
      expect(knowledgeBits[i]).toBe(-Math.log2(frequency[i]));
      if (i >= start) expect(frequency[i]).toBe(source.weight(e)); // the weight under the source now generating
    });
    // Never seen in P1: every injected individual's first document is at or after the start.
    for (const set of seen) for (const e of set) expect(source.firstDocumentOf(e)).toBeGreaterThanOrEqual(start);
    // Each document is injected with probability f_g: binomial counts within 5 standard errors.
    const n = total - start;
    groups.forEach(({ rate }, g) => expect(Math.abs(perGroup[g] - n * rate)).toBeLessThan(5 * Math.sqrt(n * rate * (1 - rate))));
    // Uniform among K: all 4 of the frequent group seen, and about 40 (1 − (1 − 1/40)^500) ≈ 40 of the other.
    expect(seen[0].size).toBe(4);
    expect(seen[1].size).toBeGreaterThanOrEqual(38);
    const stats = source.statistics();
    expect(stats.injectedDocuments).toBe(perGroup[0] + perGroup[1]);
    expect(stats.injectedIndividuals).toBe(seen[0].size + seen[1].size);
    expect(stats.distinctElements).toBe(next);
  });

  it('gives the mixture as the true measure: G scaled by 1 − Σf plus every designated individual, total mass 1', () => {
    const source = injectedSource(22);
    const before = source.trueMeasure()!;
    generate(source);
    const measure = source.trueMeasure()!;
    expect(measure.head.length).toBe(before.head.length);
    expect(measure.head[0]).toBe(source.injected!.remaining * before.head[0]);
    const mass = new KahanSum();
    for (const w of measure.head) mass.add(w);
    for (const w of measure.tail) mass.add(w);
    mass.add(measure.undiscoveredMass);
    expect(Math.abs(mass.value - 1)).toBeLessThan(1e-12);
    const designated = measure.tail.length - 44;
    const tailElements = Array.from(measure.tailElement.subarray(designated));
    expect(Array.from(measure.tail.subarray(designated))).toEqual([...Array(4).fill(0.05), ...Array(40).fill(0.1 / 40)]);
    for (const e of tailElements) if (e >= 0) expect(source.weight(e)).toBe(measure.tail[designated + tailElements.indexOf(e)]);
  });

  it('same seed ⇒ the same corpus; G’s own draws are the same sequence as without injection', () => {
    const a = generate(injectedSource(23));
    const b = generate(injectedSource(23));
    expect(a.flatMap((x) => x.text)).toEqual(b.flatMap((x) => x.text));
    const plain = generate(createSyntaxKnowledgeSource({ ...fast, seed: 23, documents: total, mode: 'all-attributes' }));
    // Weights of G's draws, in order, are the plain corpus's (the injection has its own random stream).
    const fromG = (batches: DocumentBatch[], scale: number) => {
      const injected = column(batches, 'injected');
      return column(batches, 'frequency').filter((_, i) => injected[i] === 0).map((f, i) => (i < start ? f : f / scale));
    };
    const mixed = fromG(a, 1 - (0.2 + 0.1));
    const reference = column(plain, 'frequency').slice(0, mixed.length);
    mixed.forEach((f, i) => expect(f).toBeCloseTo(reference[i], 15));
  });

  it('refuses rates above 1 in all, a prior without true weights, a second injection, and more individuals than names', () => {
    const source = createSyntaxKnowledgeSource({ ...fast, seed: 24, documents: 100 });
    expect(() => source.injectElements([{ elements: 2, rate: 0.6 }, { elements: 2, rate: 0.5 }], new Rng(1), { path: 'generator.fineTune.inject' })).toThrow(
      /generator\.fineTune\.inject: the rates sum to 1\.1/,
    );
    expect(() => source.injectElements([{ elements: 0, rate: 0.5 }], new Rng(1))).toThrow(/inject\[0\]\.elements/);
    // Shares written to sum to 1 are accepted though their floating sum is 1 + 2^−52: no mass is left for G.
    const whole = createSyntaxKnowledgeSource({ ...fast, seed: 25, documents: 100 }).injectElements([{ elements: 1, rate: 0.33 }, { elements: 1, rate: 0.56 }, { elements: 1, rate: 0.11 }], new Rng(1));
    expect(whole.remaining).toBe(0);
    source.injectElements([{ elements: 2, rate: 0.5 }], new Rng(1));
    expect(() => source.injectElements([{ elements: 2, rate: 0.5 }], new Rng(1))).toThrow(/once per source/);
    const prior = new PitmanYorPrior(0.5, 1);
    const marginal: Prior = { name: 'marginal only', seating: () => prior.seating(), logMarginal: (sizes) => prior.logMarginal(sizes) };
    expect(() => createSyntaxKnowledgeSource({ ...fast, seed: 1, documents: 10, prior: marginal }).injectElements(groups, new Rng(1))).toThrow(/needs a prior with true weights/);
    const finite: Prior = {
      name: 'uniform over 50',
      seating: () => prior.seating(),
      logMarginal: () => 0,
      trueWeights: () => ({ weights: new Float64Array(50).fill(0.02), truncationMass: 0 }),
    };
    const small = createSyntaxKnowledgeSource({ ...fast, seed: 1, documents: 1000, firstNames: 10, lastNames: 10, prior: finite });
    expect(() => small.injectElements([{ elements: 51, rate: 0.5 }], new Rng(1))).toThrow(/may need up to 101 individuals/);
    small.injectElements([{ elements: 50, rate: 0.5 }], new Rng(1)); // refused above, so not half-applied
  });
});
