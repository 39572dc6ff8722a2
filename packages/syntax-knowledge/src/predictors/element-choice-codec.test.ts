import { RangeDecoder, RangeEncoder } from '@kolmo/entropy-coding';
import { Rng, type Prior } from '@kolmo/core';
import { PitmanYorPrior } from '../knowledge/pitman-yor-prior.ts';
import { describe, expect, it } from 'vitest';
import { countAffineOffset, ElementChoiceCodec } from './element-choice-codec.ts';

/** The same Pitman–Yor without its parameters: only its seating's probabilities are visible. */
function opaque(prior: Prior): Prior {
  return { name: 'opaque', seating: () => prior.seating(), logMarginal: (sizes) => prior.logMarginal(sizes) };
}

/** n draws from the prior's Chinese restaurant, with the ideal bits −log2 of each predictive probability. */
function draws(prior: Prior, n: number, seed: number): { symbols: number[]; ideal: number[] } {
  const seating = prior.seating();
  const rng = new Rng(seed);
  const symbols: number[] = [];
  const ideal: number[] = [];
  for (let i = 0; i < n; i++) {
    const symbol = seating.sample(rng);
    ideal.push(-Math.log2(symbol === seating.distinct ? seating.probabilityNew() : seating.probabilityExisting(symbol)));
    seating.add(symbol);
    symbols.push(symbol);
  }
  return { symbols, ideal };
}

describe('ElementChoiceCodec', () => {
  it('reads δ of count-affine priors and confirms it on a probe seating', () => {
    expect(countAffineOffset(new PitmanYorPrior(0.5, 1))).toBe(0.5);
    expect(countAffineOffset(new PitmanYorPrior(0, 3))).toBe(0);
    expect(countAffineOffset(opaque(new PitmanYorPrior(0.5, 1)))).toBeUndefined();
    // A prior that claims a discount its seating does not follow is coded generically.
    const liar = Object.assign(opaque(new PitmanYorPrior(0.5, 1)), { discount: 0.2 });
    expect(countAffineOffset(liar)).toBeUndefined();
  });

  const cases = [
    { label: 'PY(0.5, 1), Fenwick', prior: new PitmanYorPrior(0.5, 1), n: 20000 },
    { label: 'PY(0.9, 50), thousands of elements, Fenwick', prior: new PitmanYorPrior(0.9, 50), n: 20000 },
    { label: 'PY(0.5, 1), generic seating', prior: opaque(new PitmanYorPrior(0.5, 1)), n: 5000 },
  ];
  it.each(cases)('round-trips draws with each symbol within the theory §8 quantization bound of its predictive ($label)', ({ prior, n }) => {
    const { symbols, ideal } = draws(prior, n, 11);
    const codec = new ElementChoiceCodec(prior);
    const encoder = new RangeEncoder();
    const coded = symbols.map((symbol) => codec.encode(symbol, encoder));
    const bytes = encoder.finish();
    const decoder = new ElementChoiceCodec(prior);
    const range = new RangeDecoder(bytes);
    expect(symbols.map(() => decoder.decode(range))).toEqual(symbols);
    range.finish();
    // New-or-known at 2^24, which-known at 2^P with K/2^P ≤ 2^(⌈log2 K⌉/2 − 20): each under −log2(1 − 2^-10) over ideal.
    coded.forEach((bits, i) => expect(bits - ideal[i]).toBeLessThan(-Math.log2(1 - 2 ** -10)));
    const total = ideal.reduce((s, b) => s + b, 0);
    expect(bytes.length * 8).toBeLessThanOrEqual(total * 1.001 + 16);
  });
});
