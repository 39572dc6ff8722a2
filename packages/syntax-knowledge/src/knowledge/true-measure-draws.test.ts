import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { PitmanYorPrior, pitmanYorDistinctMoments as distinctMoments } from './pitman-yor-prior.ts';
import { TrueMeasureDraws } from './true-measure-draws.ts';

const setPartitionsOf3 = ['000', '001', '010', '011', '012'];

function sizesOf(labels: string): number[] {
  const sizes: number[] = [];
  for (const c of labels) sizes[Number(c)] = (sizes[Number(c)] ?? 0) + 1;
  return sizes;
}

describe('draws from the true measure G', () => {
  // maxAtoms 1: almost everything is drawn lazily past the truncation; 8: a head plus a lazy tail.
  for (const maxAtoms of [1, 8]) {
    it(`have the Chinese-restaurant law: partitions of 3 draws (chi-square), head of ${maxAtoms} atoms`, () => {
      for (const [alpha, beta] of [
        [0.5, 1],
        [0.8, 0.5],
      ]) {
        const prior = new PitmanYorPrior(alpha, beta);
        const rng = new Rng(31);
        const runs = 20000;
        const observed = new Map<string, number>();
        for (let r = 0; r < runs; r++) {
          const draws = new TrueMeasureDraws(prior, rng, { maxAtoms, tolerance: 0 });
          const labels = [draws.draw(rng), draws.draw(rng), draws.draw(rng)].join('');
          observed.set(labels, (observed.get(labels) ?? 0) + 1);
        }
        let chi2 = 0;
        for (const labels of setPartitionsOf3) {
          const expected = runs * Math.exp(prior.logMarginal(sizesOf(labels)));
          chi2 += ((observed.get(labels) ?? 0) - expected) ** 2 / expected;
        }
        expect(chi2, `α=${alpha} β=${beta}`).toBeLessThan(23.5); // 4 d.o.f., P ≈ 1e-4
      }
    }, 60_000);

    it(`mean distinct elements after 1000 draws matches E[K_n] within 5 standard errors, head of ${maxAtoms} atoms`, () => {
      const prior = new PitmanYorPrior(0.5, 1);
      const [theory] = distinctMoments(0.5, 1, [1000]);
      const rng = new Rng(32);
      const runs = 1000;
      let sum = 0;
      for (let r = 0; r < runs; r++) {
        const draws = new TrueMeasureDraws(prior, rng, { maxAtoms, tolerance: 0 });
        for (let i = 0; i < 1000; i++) draws.draw(rng);
        sum += draws.elements;
      }
      expect(Math.abs(sum / runs - theory.mean)).toBeLessThan(5 * Math.sqrt(theory.variance / runs));
    }, 60_000);
  }

  it('reports each draw’s true code length −log2 π and keeps the measure’s mass at one', () => {
    const prior = new PitmanYorPrior(0.7, 1);
    const rng = new Rng(33);
    const draws = new TrueMeasureDraws(prior, rng, { maxAtoms: 100, tolerance: 1e-6 });
    let opened = 0;
    for (let i = 0; i < 20000; i++) {
      const element = draws.draw(rng);
      if (draws.lastWasNew) {
        expect(element).toBe(opened);
        opened++;
      }
      expect(draws.lastLog2Probability).toBe(Math.log2(draws.weight(element)));
      expect(Number.isFinite(draws.lastLog2Probability)).toBe(true);
    }
    const measure = draws.measure();
    expect(measure.tail.length).toBeGreaterThan(0); // α = 0.7 leaves plenty beyond 100 atoms
    let mass = measure.undiscoveredMass;
    for (const w of measure.head) mass += w;
    for (const w of measure.tail) mass += w;
    expect(Math.abs(mass - 1)).toBeLessThan(1e-12);
    let counted = 0;
    for (let e = 0; e < draws.elements; e++) counted += draws.count(e);
    expect(counted).toBe(20000);
  });

  it('draw element frequencies converge to the true weights', () => {
    const prior = new PitmanYorPrior(0.5, 1);
    const rng = new Rng(34);
    const draws = new TrueMeasureDraws(prior, rng, { maxAtoms: 1000, tolerance: 1e-6 });
    const n = 200000;
    for (let i = 0; i < n; i++) draws.draw(rng);
    for (let e = 0; e < Math.min(draws.elements, 20); e++) {
      const p = draws.weight(e);
      expect(Math.abs(draws.count(e) / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
    }
  });
});
