import { describe, expect, it } from 'vitest';
import { goodnessOfFit } from './goodness-of-fit.ts';

describe('goodnessOfFit', () => {
  it('is perfect for a perfect fit', () => {
    expect(goodnessOfFit([1, 2, 3], [1, 2, 3])).toEqual({ n: 3, rSquared: 1, rmse: 0, rmseLog: 0 });
  });

  it('computes R², RMSE and the RMSE of log residuals by their definitions', () => {
    const observed = [2, 4, 8];
    const predicted = [2 * Math.E ** 0.1, 4, 8 * Math.E ** -0.2];
    const fit = goodnessOfFit(observed, predicted);
    const ssRes = (2 - predicted[0]) ** 2 + (8 - predicted[2]) ** 2;
    const ssTot = (2 - 14 / 3) ** 2 + (4 - 14 / 3) ** 2 + (8 - 14 / 3) ** 2;
    expect(fit.rSquared).toBeCloseTo(1 - ssRes / ssTot, 12);
    expect(fit.rmse).toBeCloseTo(Math.sqrt(ssRes / 3), 12);
    expect(fit.rmseLog).toBeCloseTo(Math.sqrt((0.01 + 0.04) / 3), 12);
  });

  it('reports NaN log-RMSE when a value is not positive', () => {
    expect(goodnessOfFit([1, -1], [1, 1]).rmseLog).toBeNaN();
  });
});
