import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { analyzePowerLaw } from './power-law-analysis.ts';

describe('bootstrap samples in a fit result', () => {
  it('keeps every successful resample of every parameter, and the intervals are their percentiles', () => {
    const x = [10, 30, 100, 300, 1000, 3000, 10000];
    const rng = new Rng(3);
    const y = x.map((v) => (2 + 50 * v ** -0.5) * Math.exp(0.01 * (rng.nextFloat() - 0.5)));
    const fit = analyzePowerLaw(x, y, { bootstrap: { rng: new Rng(4), resamples: 200 } });
    const samples = fit.bootstrap!.samples!;
    expect(Object.keys(samples).sort()).toEqual(Object.keys(fit.parameters).sort());
    for (const values of Object.values(samples)) expect(values).toHaveLength(200 - fit.bootstrap!.failures);
    const alphas = [...samples.alpha].sort((a, b) => a - b);
    const [low, high] = fit.intervals!.alpha;
    expect(alphas.filter((a) => a < low).length / alphas.length).toBeLessThan(0.05);
    expect(alphas.filter((a) => a > high).length / alphas.length).toBeLessThan(0.05);
  });
});
