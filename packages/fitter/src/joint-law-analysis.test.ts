import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { analyzeJointLaw } from './joint-law-analysis.ts';
import { evaluateJointPowerLaw, fitJointPowerLaw } from './joint-power-law.ts';
import { chinchillaLikeData } from './testing/synthetic-scaling-data.ts';

/**
 * Chinchilla-like magnitudes (E = 1.8, A = 480, B = 2100, alpha = 0.35, beta = 0.37), N over 10^7..10^10 and
 * D over 10^9..10^12 on an 8×8 grid, log-normal noise σ = 1%. Each true parameter must fall inside its 99%
 * bootstrap interval (one seed, five parameters: at 95% one of them misses in a fifth of the seeds, and
 * coverage itself is checked over 100 seeds in interval-coverage.coverage-test.ts) and within 4 bootstrap SEs.
 */
function expectRecovered(fit: ReturnType<typeof analyzeJointLaw>, truth: Record<string, number>) {
  for (const [name, value] of Object.entries(truth)) {
    const [low, high] = fit.intervals![name];
    expect(value, `${name} in [${low}, ${high}]`).toBeGreaterThanOrEqual(low);
    expect(value, `${name} in [${low}, ${high}]`).toBeLessThanOrEqual(high);
    expect(Math.abs(fit.parameters[name] - value)).toBeLessThan(4 * fit.standardErrors![name]);
  }
}

describe('fitJointPowerLaw', () => {
  it('recovers exact parameters from noise-free data', () => {
    const { truth, n, d, y } = chinchillaLikeData(new Rng(1), 0);
    const fit = fitJointPowerLaw(n, d, y);
    for (const name of ['E', 'alpha', 'beta'] as const) expect(fit.parameters[name]).toBeCloseTo(truth[name], 6);
    expect(fit.parameters.A / truth.A).toBeCloseTo(1, 5);
    expect(fit.parameters.B / truth.B).toBeCloseTo(1, 5);
    expect(evaluateJointPowerLaw(fit.parameters, 1e8, 1e10)).toBeCloseTo(1.8 + 480 * 1e8 ** -0.35 + 2100 * 1e10 ** -0.37, 8);
  });
});

describe('analyzeJointLaw', () => {
  it('recovers the joint law by variable projection within its bootstrap intervals', () => {
    const rng = new Rng(1);
    const { truth, n, d, y } = chinchillaLikeData(rng.split('noise'), 0.01);
    const fit = analyzeJointLaw(n, d, y, { method: 'varpro', bootstrap: { rng: rng.split('bootstrap'), resamples: 200, level: 0.99 } });
    expectRecovered(fit, truth);
    expect(fit.kind).toBe('joint-law');
    expect(fit.warnings).toEqual([]);
  });

  it('recovers the joint law with the Chinchilla objective within its bootstrap intervals', () => {
    const rng = new Rng(2);
    const { truth, n, d, y } = chinchillaLikeData(rng.split('noise'), 0.01);
    const fit = analyzeJointLaw(n, d, y, { method: 'chinchilla', bootstrap: { rng: rng.split('bootstrap'), resamples: 120, level: 0.99 } });
    expectRecovered(fit, truth);
    expect(fit.method).toBe('chinchilla');
    expect(fit.goodness.rSquared).toBeGreaterThan(0.99);
  });
});
