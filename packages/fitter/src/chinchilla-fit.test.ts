import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { chinchillaLoss, fitChinchilla } from './chinchilla-fit.ts';
import { chinchillaLikeData } from './testing/synthetic-scaling-data.ts';

describe('chinchillaLoss', () => {
  const logN = Float64Array.from([16, 18, 20, 22]);
  const logD = Float64Array.from([21, 23, 25, 27]);
  const logY = Float64Array.from([1.2, 1.0, 0.9, 0.7]);

  it('is the sum (not the mean) of Huber(δ) losses on log residuals', () => {
    const theta = [6, 7.6, 0.6, 0.35, 0.37];
    const huber = (r: number, delta: number) => (Math.abs(r) <= delta ? r * r / 2 : delta * (Math.abs(r) - delta / 2));
    let expected = 0;
    for (let i = 0; i < 4; i++) {
      const prediction = Math.exp(theta[0] - theta[3] * logN[i]) + Math.exp(theta[1] - theta[4] * logD[i]) + Math.exp(theta[2]);
      expected += huber(Math.log(prediction) - logY[i], 1e-3);
    }
    expect(chinchillaLoss(theta, logN, logD, logY, 1e-3)).toBeCloseTo(expected, 14);
    const doubled = (a: Float64Array) => Float64Array.from([...a, ...a]);
    expect(chinchillaLoss(theta, doubled(logN), doubled(logD), doubled(logY), 1e-3)).toBeCloseTo(2 * expected, 14);
  });

  it('has the analytic gradient (central differences), in both Huber regimes', () => {
    for (const delta of [1e-3, 10]) {
      const theta = [6, 7.6, 0.6, 0.35, 0.37];
      const gradient = new Float64Array(5);
      chinchillaLoss(theta, logN, logD, logY, delta, undefined, gradient);
      for (let k = 0; k < 5; k++) {
        const h = 1e-6;
        const up = [...theta];
        const down = [...theta];
        up[k] += h;
        down[k] -= h;
        const numeric = (chinchillaLoss(up, logN, logD, logY, delta) - chinchillaLoss(down, logN, logD, logY, delta)) / (2 * h);
        expect(gradient[k]).toBeCloseTo(numeric, 7);
      }
    }
  });
});

describe('fitChinchilla', () => {
  it('recovers Chinchilla-like parameters exactly from noise-free data', () => {
    const { truth, n, d, y } = chinchillaLikeData(new Rng(1), 0);
    const fit = fitChinchilla(n, d, y);
    expect(fit.parameters.E).toBeCloseTo(truth.E, 6);
    expect(fit.parameters.A / truth.A).toBeCloseTo(1, 5);
    expect(fit.parameters.B / truth.B).toBeCloseTo(1, 5);
    expect(fit.parameters.alpha).toBeCloseTo(truth.alpha, 6);
    expect(fit.parameters.beta).toBeCloseTo(truth.beta, 6);
    expect(fit.objective).toBeLessThan(1e-15);
  });

  it('fixes E at a known value', () => {
    const { truth, n, d, y } = chinchillaLikeData(new Rng(1), 0);
    const fit = fitChinchilla(n, d, y, { fixE: truth.E, refine: 5 });
    expect(fit.parameters.E).toBe(truth.E);
    expect(fit.parameters.alpha).toBeCloseTo(truth.alpha, 6);
    expect(fit.parameters.beta).toBeCloseTo(truth.beta, 6);
  });
});
