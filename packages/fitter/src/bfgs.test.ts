import { describe, expect, it } from 'vitest';
import { minimizeBfgs } from './bfgs.ts';

describe('minimizeBfgs', () => {
  it('finds the Rosenbrock minimum with the analytic gradient', () => {
    const result = minimizeBfgs((x, g) => {
      g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0]);
      g[1] = 200 * (x[1] - x[0] * x[0]);
      return 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;
    }, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 7);
    expect(result.x[1]).toBeCloseTo(1, 7);
  });

  it('minimises an ill-conditioned quadratic exactly', () => {
    const scales = [1, 1e2, 1e4, 1e-2];
    const centre = [3, -1, 0.25, 7];
    const result = minimizeBfgs((x, g) => {
      let value = 0;
      for (let i = 0; i < 4; i++) {
        value += 0.5 * scales[i] * (x[i] - centre[i]) ** 2;
        g[i] = scales[i] * (x[i] - centre[i]);
      }
      return value;
    }, [0, 0, 0, 0]);
    for (let i = 0; i < 4; i++) expect(result.x[i]).toBeCloseTo(centre[i], 6);
  });

  it('minimises a smooth convex function with a kink-free Huber-like tail (log-sum-exp)', () => {
    // f(x) = log(e^{x0} + e^{−x0} + e^{x1 − 1} + e^{1 − x1}): minimum at (0, 1).
    const result = minimizeBfgs((x, g) => {
      const terms = [Math.exp(x[0]), Math.exp(-x[0]), Math.exp(x[1] - 1), Math.exp(1 - x[1])];
      const total = terms.reduce((s, t) => s + t, 0);
      g[0] = (terms[0] - terms[1]) / total;
      g[1] = (terms[2] - terms[3]) / total;
      return Math.log(total);
    }, [2, -3]);
    expect(result.x[0]).toBeCloseTo(0, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });
});
