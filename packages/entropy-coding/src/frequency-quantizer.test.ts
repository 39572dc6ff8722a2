import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulativeFrequencies, quantizedBits, quantizeFrequencies } from './frequency-quantizer.ts';

const weightsArbitrary = fc.array(
  fc.oneof(fc.constant(0), fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(1000)),
  { minLength: 1, maxLength: 200 },
);

describe('quantizeFrequencies', () => {
  it('gives integers ≥ 1 summing to exactly 2^P, within −log2(1 − V/2^P) bits of every probability', () => {
    fc.assert(
      fc.property(weightsArbitrary, fc.integer({ min: 8, max: 32 }), (weights, totalBits) => {
        const total = 2 ** totalBits;
        const frequencies = quantizeFrequencies(weights, totalBits);
        expect(cumulativeFrequencies(frequencies)[weights.length]).toBe(total);
        const sum = weights.reduce((a, b) => a + b, 0);
        const bound = -Math.log2(1 - weights.length / total);
        frequencies.forEach((f, x) => {
          expect(Number.isInteger(f) && f >= 1).toBe(true);
          const q = sum === 0 ? 1 / weights.length : weights[x] / sum;
          // 1e-9: the floors are computed in doubles; the bound holds up to their rounding.
          if (q > 0) expect(quantizedBits(f, totalBits)).toBeLessThanOrEqual(-Math.log2(q) + bound + 1e-9);
        });
      }),
      { numRuns: 500, seed: 24 },
    );
  });

  it('is deterministic and keeps the order of the weights', () => {
    const weights = [0.5, 0.25, 0.125, 0.125, 0];
    expect([...quantizeFrequencies(weights, 24)]).toEqual([...quantizeFrequencies(weights, 24)]);
    const f = quantizeFrequencies(weights, 24);
    expect(f[0]).toBeGreaterThan(f[1]);
    expect(f[1]).toBeGreaterThan(f[2]);
    expect(Math.abs(f[2] - f[3])).toBeLessThanOrEqual(1); // equal weights, floors may differ by one
    expect(f[4]).toBe(1);
  });

  it('gives every symbol frequency 1 when there are as many symbols as the total, and uniform for all-zero weights', () => {
    expect([...quantizeFrequencies([5, 0, 1, 9], 2)]).toEqual([1, 1, 1, 1]);
    expect([...quantizeFrequencies([0, 0, 0], 8)]).toEqual([85, 85, 86]);
    expect([...quantizeFrequencies([3], 32)]).toEqual([2 ** 32]);
  });

  it('refuses alphabets larger than the total and weights that are negative or not finite', () => {
    expect(() => quantizeFrequencies([1, 1, 1], 1)).toThrow(/3 symbols cannot each get a frequency ≥ 1 out of 2\^1/);
    expect(() => quantizeFrequencies([], 8)).toThrow(/0 symbols/);
    expect(() => quantizeFrequencies([1, -1], 8)).toThrow(/weight 1 is -1/);
    expect(() => quantizeFrequencies([1, NaN], 8)).toThrow(/weight 1 is NaN/);
    expect(() => quantizeFrequencies([1, Infinity], 8)).toThrow(/finite/);
    expect(() => quantizeFrequencies([1], 33)).toThrow(/totalBits/);
    expect(() => quantizeFrequencies([1e308, 1e308], 8)).toThrow(/scale them down/);
  });
});
