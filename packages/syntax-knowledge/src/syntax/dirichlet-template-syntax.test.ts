import { Rng } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { DirichletTemplateSyntax } from './dirichlet-template-syntax.ts';

describe('Dirichlet template syntax', () => {
  it('has d = A(T − 1) free parameters and rejects zero templates', () => {
    expect(new DirichletTemplateSyntax(5, 4, 0.5).freeParameters).toBe(15);
    expect(new DirichletTemplateSyntax(1, 1, 0.5).freeParameters).toBe(0);
    expect(() => new DirichletTemplateSyntax(5, 0, 0.5)).toThrow(/templates/);
    expect(() => new DirichletTemplateSyntax(5, 4, 0)).toThrow(/prior/);
  });

  it('draws φ with the Dirichlet(a) mean 1/T and variance (T − 1)/(T²(Ta + 1))', () => {
    const T = 4;
    const a = 0.5;
    const model = new DirichletTemplateSyntax(1, T, a);
    const rng = new Rng(1);
    const runs = 20000;
    const values: number[] = [];
    for (let r = 0; r < runs; r++) {
      const phi = model.drawParameters(rng).probabilities(0);
      expect(Math.abs(phi.reduce((s, p) => s + p, 0) - 1)).toBeLessThan(1e-12);
      values.push(phi[0]);
    }
    const mean = values.reduce((s, v) => s + v, 0) / runs;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (runs - 1);
    const expectedVariance = (T - 1) / (T * T * (T * a + 1));
    expect(Math.abs(mean - 1 / T)).toBeLessThan(5 * Math.sqrt(expectedVariance / runs));
    // The sample variance of n draws has standard error ≈ variance·sqrt(2/n) (kurtosis aside: 4σ of a generous bound).
    expect(Math.abs(variance / expectedVariance - 1)).toBeLessThan(0.06);
  });

  it('samples templates with probabilities φ and reports log2 φ', () => {
    const model = new DirichletTemplateSyntax(2, 6, 1);
    const rng = new Rng(2);
    const phi = model.drawParameters(rng);
    const n = 60000;
    for (let a = 0; a < 2; a++) {
      const counts = new Float64Array(6);
      for (let i = 0; i < n; i++) counts[phi.sampleTemplate(a, rng)]++;
      let chi2 = 0;
      phi.probabilities(a).forEach((p, t) => {
        expect(phi.log2Probability(a, t)).toBe(Math.log2(p));
        chi2 += (counts[t] - n * p) ** 2 / (n * p);
      });
      expect(chi2).toBeLessThan(30.9); // 5 d.o.f., P ≈ 1e-5
    }
  });

  it('keeps tiny Dirichlet parameters finite (no all-zero φ)', () => {
    const phi = new DirichletTemplateSyntax(3, 8, 0.01).drawParameters(new Rng(3));
    for (let a = 0; a < 3; a++) {
      const p = phi.probabilities(a);
      expect(Math.abs(p.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-12);
      expect(p.every((x) => x >= 0 && Number.isFinite(x))).toBe(true);
    }
  });
});
