import { Rng, sampleNormal } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { solveLeastSquares } from './least-squares.ts';

describe('solveLeastSquares', () => {
  it('recovers the exact coefficients of a consistent system', () => {
    const x = Array.from({ length: 12 }, (_, i) => 1 + i);
    const columns = [x.map(() => 1), x.map((v) => v), x.map((v) => v ** -0.5)];
    const target = x.map((v) => 2 - 0.25 * v + 3 * v ** -0.5);
    const { coefficients, residualSumOfSquares } = solveLeastSquares(columns, target);
    expect(coefficients[0]).toBeCloseTo(2, 12);
    expect(coefficients[1]).toBeCloseTo(-0.25, 12);
    expect(coefficients[2]).toBeCloseTo(3, 12);
    expect(residualSumOfSquares).toBeLessThan(1e-24);
  });

  it('leaves a residual orthogonal to every column and reports its sum of squares', () => {
    const rng = new Rng(3);
    const rows = 40;
    const columns = Array.from({ length: 3 }, () => Array.from({ length: rows }, () => sampleNormal(rng)));
    const target = Array.from({ length: rows }, () => sampleNormal(rng));
    const { coefficients, residualSumOfSquares } = solveLeastSquares(columns, target);
    const residual = target.map((t, i) => t - columns.reduce((s, c, j) => s + coefficients[j] * c[i], 0));
    for (const column of columns) expect(Math.abs(column.reduce((s, c, i) => s + c * residual[i], 0))).toBeLessThan(1e-12);
    expect(residualSumOfSquares).toBeCloseTo(residual.reduce((s, r) => s + r * r, 0), 12);
  });

  it('gives a dependent column coefficient 0 and still fits the rest', () => {
    const x = [1, 2, 3, 4, 5];
    const columns = [x.map(() => 1), x, x.map((v) => 2 * v)];
    const result = solveLeastSquares(columns, x.map((v) => 1 + v));
    expect(result.rankDeficient).toBe(true);
    expect(result.coefficients[2]).toBe(0);
    expect(result.coefficients[0]).toBeCloseTo(1, 12);
    expect(result.coefficients[1]).toBeCloseTo(1, 12);
  });
});
