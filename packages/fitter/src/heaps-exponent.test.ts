import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { heapsCurve, heapsExponent } from './heaps-exponent.ts';
import { simulatePitmanYor } from './testing/simulate-pitman-yor.ts';

describe('heapsExponent', () => {
  it('is the exact slope of an exact power law', () => {
    const n = [10, 100, 1000, 10000];
    const fit = heapsExponent(n, n.map((v) => 3 * v ** 0.6));
    expect(fit.exponent).toBeCloseTo(0.6, 12);
    expect(fit.intercept).toBeCloseTo(Math.log(3), 12);
    expect(fit.rSquared).toBeCloseTo(1, 12);
  });

  it('describes a Pitman–Yor sequence with a slope near α (descriptive: it is biased, hence the loose band)', () => {
    const { assignments } = simulatePitmanYor(new Rng(1), 0.5, 1, 100_000);
    const curve = heapsCurve(assignments, 25);
    expect(curve.draws[curve.draws.length - 1]).toBe(100_000);
    expect(curve.draws[0]).toBe(100);
    for (let i = 1; i < curve.distinct.length; i++) expect(curve.distinct[i]).toBeGreaterThanOrEqual(curve.distinct[i - 1]);
    const fit = heapsExponent(curve.draws, curve.distinct);
    expect(fit.exponent).toBeGreaterThan(0.4);
    expect(fit.exponent).toBeLessThan(0.6);
  });

  it('counts distinct ids exactly at log-spaced n (rounded, duplicates merged)', () => {
    const curve = heapsCurve([1, 1, 2, 3, 3, 3, 4, 1], 8, 1);
    expect(Array.from(curve.draws)).toEqual([1, 2, 3, 4, 6, 8]);
    expect(Array.from(curve.distinct)).toEqual([1, 1, 2, 3, 3, 4]);
  });
});
