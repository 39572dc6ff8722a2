import { Rng, sampleNormal } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { solveLeastSquares } from './least-squares.ts';
import { nonNegativeLeastSquares } from './nnls.ts';

/** The NNLS optimum by brute force: the best unconstrained fit over every subset whose coefficients are ≥ 0. */
function bruteForce(columns: number[][], target: number[]): number {
  let best = Infinity;
  for (let mask = 0; mask < 1 << columns.length; mask++) {
    const subset = columns.filter((_, j) => mask & (1 << j));
    const { coefficients, residualSumOfSquares } = solveLeastSquares(subset, target);
    if (coefficients.every((c) => c >= 0)) best = Math.min(best, residualSumOfSquares);
  }
  return best;
}

describe('nonNegativeLeastSquares', () => {
  it('matches the brute-force optimum and satisfies the KKT conditions on random problems', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const rows = 6 + rng.nextInt(20);
      const p = 1 + rng.nextInt(5);
      const columns = Array.from({ length: p }, () => Array.from({ length: rows }, () => sampleNormal(rng)));
      const target = Array.from({ length: rows }, () => sampleNormal(rng));
      const { coefficients, residualSumOfSquares } = nonNegativeLeastSquares(columns, target);
      const optimum = bruteForce(columns, target);
      expect(residualSumOfSquares).toBeLessThanOrEqual(optimum * (1 + 1e-10) + 1e-14);
      const residual = target.map((t, i) => t - columns.reduce((s, c, j) => s + coefficients[j] * c[i], 0));
      for (let j = 0; j < p; j++) {
        expect(coefficients[j]).toBeGreaterThanOrEqual(0);
        const gradient = columns[j].reduce((s, c, i) => s + c * residual[i], 0);
        // KKT: no positive gradient anywhere; zero gradient on the coefficients that are free.
        expect(gradient).toBeLessThan(1e-9);
        if (coefficients[j] > 0) expect(Math.abs(gradient)).toBeLessThan(1e-9);
      }
    }
  });

  it('recovers the coefficients of an exact power-law basis spanning six decades', () => {
    const x = Array.from({ length: 30 }, (_, i) => 10 ** (i / 5));
    const columns = [x.map(() => 1), x.map((v) => v ** -0.35), x.map((v) => 1 / v)];
    const target = x.map((v) => 1.8 + 480 * v ** -0.35 + 20 / v);
    const { coefficients } = nonNegativeLeastSquares(columns, target);
    expect(coefficients[0]).toBeCloseTo(1.8, 8);
    expect(coefficients[1] / 480).toBeCloseTo(1, 10);
    expect(coefficients[2] / 20).toBeCloseTo(1, 8);
  });

  it('clips a coefficient that the unconstrained fit would make negative', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const { coefficients } = nonNegativeLeastSquares([x.map(() => 1), x], x.map((v) => 10 - v));
    expect(coefficients[1]).toBe(0);
    expect(coefficients[0]).toBeCloseTo(6.5, 12);
  });
});
