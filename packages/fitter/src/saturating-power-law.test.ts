import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { evaluateSaturatingPowerLaw, fitSaturatingPowerLaw } from './saturating-power-law.ts';
import { logSpaced, withLogNormalNoise } from './testing/synthetic-scaling-data.ts';

describe('fitSaturatingPowerLaw', () => {
  it('recovers exact parameters from noise-free data (single and two-term)', () => {
    const x = logSpaced(1, 6, 30);
    const single = fitSaturatingPowerLaw(x, x.map((v) => 1.5 + 40 * v ** -0.45));
    expect(single.parameters.E).toBeCloseTo(1.5, 7);
    expect(single.parameters.A / 40).toBeCloseTo(1, 6);
    expect(single.parameters.alpha).toBeCloseTo(0.45, 7);
    const two = fitSaturatingPowerLaw(x, x.map((v) => 2 + 30 * v ** -0.5 + 200 / v), { form: 'two-term' });
    expect(two.parameters.E).toBeCloseTo(2, 6);
    expect(two.parameters.A / 30).toBeCloseTo(1, 5);
    expect(two.parameters.alpha).toBeCloseTo(0.5, 6);
    expect(two.parameters.B / 200).toBeCloseTo(1, 5);
    expect(evaluateSaturatingPowerLaw(two.parameters, 1000)).toBeCloseTo(2 + 30 / Math.sqrt(1000) + 0.2, 6);
  });

  it('fixes E, as one number or one value per point', () => {
    const x = logSpaced(2, 5, 20);
    const y = x.map((v) => 3 + 10 * v ** -0.3);
    const fixed = fitSaturatingPowerLaw(x, y, { fixE: 3 });
    expect(fixed.parameters.E).toBe(3);
    expect(fixed.parameters.alpha).toBeCloseTo(0.3, 8);
    // Per-point entropies: y_i − H_i follows the law exactly.
    const h = x.map((_, i) => 3 + 0.01 * (i % 3));
    const perPoint = fitSaturatingPowerLaw(x, y.map((v, i) => v + h[i] - 3), { fixE: h });
    expect(perPoint.parameters.alpha).toBeCloseTo(0.3, 8);
    expect(perPoint.parameters.A).toBeCloseTo(10, 6);
  });

  it('with relative residuals recovers the law from data with multiplicative noise', () => {
    const rng = new Rng(4);
    const x = logSpaced(1, 7, 40);
    const y = withLogNormalNoise(x.map((v) => 0.5 + 100 * v ** -0.6), 0.002, rng);
    const fit = fitSaturatingPowerLaw(x, y, { residuals: 'relative' });
    // σ = 0.2% over six decades: the exponent is pinned to well under 1%.
    expect(fit.parameters.alpha).toBeCloseTo(0.6, 2);
  });

  it('says when the exponent sits on the edge of its search range', () => {
    const x = logSpaced(0, 3, 15);
    const steep = fitSaturatingPowerLaw(x, x.map((v) => 1 + 5 * v ** -6));
    expect(steep.onGridEdge).toBe(true);
    expect(steep.parameters.alpha).toBe(4);
    expect(fitSaturatingPowerLaw(x, x.map((v) => 1 + 5 * v ** -0.7)).onGridEdge).toBe(false);
  });
});
