import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { defaultResidualScale, fitSaturatingPowerLaw, type ResidualScale } from './saturating-power-law.ts';
import { logSpaced, withLogNormalNoise } from './testing/synthetic-scaling-data.ts';

/**
 * Log residuals under heavy scatter, as in the data-scaling sweep (each point a fresh draw of G: about 30%
 * log-normal scatter): y = A x^−0.7, seven x over three decades, three seeds per x, fitted with E fixed at 0.
 * With log residuals the fit is ordinary least squares in log space, so the exponent is unbiased and the line
 * runs through the middle of the points; relative residuals pull the line below them (issue 10).
 */
const truth = { A: 50, alpha: 0.7 };
const sigma = 0.3;
const seeds = 200;

function sweep(seed: number) {
  const x = logSpaced(2, 5, 7).flatMap((v) => [v, v, v]);
  const y = withLogNormalNoise(x.map((v) => truth.A * v ** -truth.alpha), sigma, new Rng(seed));
  return { x, y };
}

function fitAll(residuals: ResidualScale) {
  return Array.from({ length: seeds }, (_, k) => {
    const { x, y } = sweep(k + 1);
    const fit = fitSaturatingPowerLaw(x, y, { fixE: 0, residuals, gridPoints: 80 });
    const logResiduals = y.map((v, i) => Math.log(v) - Math.log(fit.fitted[i]));
    return { alpha: fit.parameters.alpha, meanLogResidual: logResiduals.reduce((s, r) => s + r, 0) / y.length, above: logResiduals.filter((r) => r > 0).length / y.length };
  });
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;
const sd = (values: number[]) => Math.sqrt(values.reduce((s, v) => s + (v - mean(values)) ** 2, 0) / (values.length - 1));

describe('log residuals', () => {
  it('give an unbiased exponent over seeds and a line through the points under heavy scatter', () => {
    const fits = fitAll('log');
    const alphas = fits.map((f) => f.alpha);
    // Unbiased: the mean over seeds within 3 standard errors of the truth (sd over seeds / √seeds).
    expect(Math.abs(mean(alphas) - truth.alpha)).toBeLessThan((3 * sd(alphas)) / Math.sqrt(seeds));
    // OLS in log space: sd of the slope = σ / √Σ(log x − mean)²; the seeds' spread within 20% of it.
    const logX = sweep(1).x.map(Math.log);
    const centred = logX.map((v) => v - mean(logX));
    const expectedSd = sigma / Math.sqrt(centred.reduce((s, v) => s + v * v, 0));
    expect(sd(alphas) / expectedSd).toBeGreaterThan(0.8);
    expect(sd(alphas) / expectedSd).toBeLessThan(1.2);
    // Through the points: log residuals average 0 (the normal equation of the free log A) and half lie above.
    for (const fit of fits) expect(Math.abs(fit.meanLogResidual)).toBeLessThan(1e-6);
    expect(Math.abs(mean(fits.map((f) => f.above)) - 0.5)).toBeLessThan(0.03);
  });

  it('where relative residuals put the line below the points', () => {
    const fits = fitAll('relative');
    // (y − ŷ)/y is bounded by 1 above the line and unbounded below it, so ŷ sinks: E[log y − log ŷ] ≈ σ² and more.
    expect(mean(fits.map((f) => f.meanLogResidual))).toBeGreaterThan(sigma ** 2 / 2);
    expect(mean(fits.map((f) => f.above))).toBeGreaterThan(0.6);
  });

  it('are the default when x spans two decades and y > 0', () => {
    const { x, y } = sweep(1);
    expect(defaultResidualScale(x, y)).toBe('log');
    expect(fitSaturatingPowerLaw(x, y, { fixE: 0 }).residuals).toBe('log');
    expect(defaultResidualScale([1, 10, 50], [3, 2, 1])).toBe('absolute');
    expect(defaultResidualScale([1, 1000], [1, -0.1])).toBe('absolute');
  });
});
