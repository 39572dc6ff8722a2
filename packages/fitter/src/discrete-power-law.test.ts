import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import {
  discretePowerLawGoodnessOfFit,
  discretePowerLawLogLikelihood,
  discretePowerLawSampler,
  fitDiscretePowerLaw,
} from './discrete-power-law.ts';
import { hurwitzZeta } from './hurwitz-zeta.ts';

/** Draws from a mixture: uniform on 1..4 with probability 0.3, else the power law above x_min = 5. */
function mixtureSample(rng: Rng, n: number, alpha: number): number[] {
  const tail = discretePowerLawSampler(alpha, 5);
  return Array.from({ length: n }, () => (rng.nextFloat() < 0.3 ? 1 + rng.nextInt(4) : tail(rng)));
}

describe('discretePowerLawSampler', () => {
  it('draws each value with probability x^−α / ζ(α, x_min) (4σ binomial bounds), deep tail included', () => {
    const rng = new Rng(1);
    const n = 200_000;
    for (const [alpha, xmin] of [[2.5, 1], [1.5, 3]]) {
      const sample = discretePowerLawSampler(alpha, xmin);
      const draws = Float64Array.from({ length: n }, () => sample(rng));
      const z = hurwitzZeta(alpha, xmin);
      const check = (p: number, hits: number) => expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
      for (let x = xmin; x < xmin + 5; x++) check(x ** -alpha / z, draws.filter((v) => v === x).length);
      // Far beyond the CCDF table (65536 entries for alpha = 1.5): the corrected continuous start.
      for (const cut of [1e3, 1e5, 1e6]) check(hurwitzZeta(alpha, cut) / z, draws.filter((v) => v >= cut).length);
      expect(draws.every((v) => Number.isInteger(v) && v >= xmin)).toBe(true);
    }
  });
});

describe('fitDiscretePowerLaw', () => {
  it('finds the maximum-likelihood alpha: the score vanishes there', () => {
    const data = mixtureSample(new Rng(2), 3000, 2.5).filter((x) => x >= 5);
    const fit = fitDiscretePowerLaw(data, { xmin: 5 });
    const logSum = data.reduce((s, x) => s + Math.log(x), 0);
    const at = (a: number) => discretePowerLawLogLikelihood(a, 5, data.length, logSum);
    expect(at(fit.alpha)).toBeGreaterThanOrEqual(at(fit.alpha + 1e-5));
    expect(at(fit.alpha)).toBeGreaterThanOrEqual(at(fit.alpha - 1e-5));
    // CSN eq. 3.7's approximation agrees to about 1% for x_min ≳ 5 (their Fig. 3).
    const approximate = 1 + data.length / data.reduce((s, x) => s + Math.log(x / 4.5), 0);
    expect(Math.abs(approximate / fit.alpha - 1)).toBeLessThan(0.01);
  });

  it('recovers alpha (within 4 SE) and x_min from a power-law tail above a non-power-law body', () => {
    for (const seed of [3, 4]) {
      const fit = fitDiscretePowerLaw(mixtureSample(new Rng(seed), 2000, 2.5));
      expect(Math.abs(fit.alpha - 2.5)).toBeLessThan(4 * fit.alphaStandardError);
      expect(fit.xmin).toBeGreaterThanOrEqual(5);
      expect(fit.xmin).toBeLessThanOrEqual(8);
      expect(fit.n).toBe(2000);
    }
  });

  it('measures the KS distance over every integer of the tail (brute force on a small set)', () => {
    const data = [3, 3, 3, 4, 5, 5, 9, 12, 40, 41];
    const fit = fitDiscretePowerLaw(data, { xmin: 3 });
    const z = hurwitzZeta(fit.alpha, 3);
    let brute = 0;
    for (let x = 3; x <= 60; x++) {
      const empirical = data.filter((v) => v <= x).length / data.length;
      const model = 1 - hurwitzZeta(fit.alpha, x + 1) / z;
      brute = Math.max(brute, Math.abs(empirical - model));
    }
    expect(fit.ks).toBeCloseTo(brute, 12);
  });

  it('rejects non-integer and non-positive data', () => {
    expect(() => fitDiscretePowerLaw([1, 2.5, 3])).toThrow(RangeError);
    expect(() => fitDiscretePowerLaw([0, 2, 3])).toThrow(RangeError);
  });
});

describe('discretePowerLawGoodnessOfFit', () => {
  it('does not reject a true power law and rejects a geometric distribution fitted from x = 1', () => {
    const rng = new Rng(5);
    const data = mixtureSample(rng.split('data'), 1000, 2.5);
    const fit = fitDiscretePowerLaw(data);
    // Under the null p is uniform: p > 0.01 fails with probability 1%.
    expect(discretePowerLawGoodnessOfFit(data, fit, { rng: rng.split('gof'), resamples: 100 }).pValue).toBeGreaterThan(0.01);
    const geometric = Array.from({ length: 1000 }, () => 1 + Math.floor(Math.log(rng.nextOpenFloat()) / Math.log(0.7)));
    const wrong = fitDiscretePowerLaw(geometric, { xmin: 1 });
    const test = discretePowerLawGoodnessOfFit(geometric, wrong, { xmin: 1, rng: rng.split('gof2'), resamples: 100 });
    expect(test.pValue).toBe(0);
  });
});
