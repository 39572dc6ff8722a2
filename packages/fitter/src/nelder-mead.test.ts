import { describe, expect, it } from 'vitest';
import { minimizeNelderMead } from './nelder-mead.ts';

const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] * x[0]) ** 2 + (1 - x[0]) ** 2;

describe('minimizeNelderMead', () => {
  it('finds the Rosenbrock minimum at (1, 1)', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it('minimises a one-dimensional parabola and a five-dimensional quadratic', () => {
    const one = minimizeNelderMead((x) => (x[0] - 0.37) ** 2 + 2, [2]);
    expect(one.x[0]).toBeCloseTo(0.37, 8);
    expect(one.value).toBeCloseTo(2, 12);
    const centre = [1, -2, 3, 0.5, 10];
    const five = minimizeNelderMead((x) => x.reduce((s, v, i) => s + (i + 1) * (v - centre[i]) ** 2, 0), [0, 0, 0, 0, 0], { step: 1 });
    for (let i = 0; i < 5; i++) expect(five.x[i]).toBeCloseTo(centre[i], 5);
  });

  it('treats NaN as +∞ so a simplex step outside the domain is simply rejected', () => {
    const result = minimizeNelderMead((x) => (x[0] <= 0 ? NaN : x[0] - Math.log(x[0])), [3]);
    expect(result.x[0]).toBeCloseTo(1, 6);
  });
});
