import { Rng, logGamma } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { fitPitmanYor, pitmanYorLogLikelihood, summarizeBlockSizes } from './pitman-yor-mle.ts';
import { simulatePitmanYor } from './testing/simulate-pitman-yor.ts';

/** Σ log of the sequential CRP predictive probabilities (theory §2) of a sequence of element ids. */
function sequentialLogProbability(assignments: Int32Array, discount: number, concentration: number): number {
  const counts: number[] = [];
  let total = 0;
  for (let n = 0; n < assignments.length; n++) {
    const k = assignments[n];
    if (k === counts.length) {
      total += n === 0 ? 0 : Math.log((concentration + discount * counts.length) / (n + concentration));
      counts.push(1);
    } else {
      total += Math.log((counts[k] - discount) / (n + concentration));
      counts[k]++;
    }
  }
  return total;
}

describe('pitmanYorLogLikelihood', () => {
  it('equals the sequential predictive product to 1e-9 relative (theory §3), in both summation branches', () => {
    const { assignments, sizes } = simulatePitmanYor(new Rng(3), 0.8, 5, 40_000);
    expect(sizes.length).toBeGreaterThan(5001); // exercises the log-gamma form of Σ log(β + iα)
    for (const [alpha, beta] of [[0.8, 5], [0.37, -0.2], [0, 5], [0.9, 100]]) {
      const closed = pitmanYorLogLikelihood(sizes, alpha, beta);
      expect(Math.abs(closed / sequentialLogProbability(assignments, alpha, beta) - 1)).toBeLessThan(1e-9);
    }
    const small = simulatePitmanYor(new Rng(4), 0.5, 1, 3000);
    expect(small.sizes.length).toBeLessThan(5000); // the direct-sum branch
    expect(Math.abs(pitmanYorLogLikelihood(small.sizes, 0.45, 1.5) / sequentialLogProbability(small.assignments, 0.45, 1.5) - 1)).toBeLessThan(1e-9);
  });

  it('matches the Ewens formula at α = 0 and is −∞ outside the parameter space', () => {
    const sizes = [3, 1, 2];
    const beta = 1.7;
    // Ewens: β^K Γ(β)/Γ(β+n) Π (m_k − 1)!
    const ewens = 3 * Math.log(beta) + logGamma(beta) - logGamma(beta + 6) + Math.log(2) + Math.log(1);
    expect(pitmanYorLogLikelihood(sizes, 0, beta)).toBeCloseTo(ewens, 12);
    expect(pitmanYorLogLikelihood(sizes, 1, 1)).toBe(-Infinity);
    expect(pitmanYorLogLikelihood(sizes, 0.5, -0.5)).toBe(-Infinity);
  });

  it('summarises block sizes as frequencies of frequencies', () => {
    const summary = summarizeBlockSizes([1, 3, 1, 2, 3, 3]);
    expect(summary).toMatchObject({ draws: 13, blocks: 6 });
    expect(Array.from(summary.sizes)).toEqual([1, 2, 3]);
    expect(Array.from(summary.counts)).toEqual([2, 1, 3]);
  });
});

describe('fitPitmanYor', () => {
  it('recovers α = 0.5 within ±0.01 from one sample of 3·10^5 draws (β = 1000)', () => {
    // The information about α is limited by the number of blocks: at n = 3·10^5 the standard error of α̂ is
    // ≈ 0.013 for β = 1 (K ≈ 10^3) and ≈ 0.0032 for β = 1000 (K ≈ 3·10^4), so ±0.01 is a ≥ 3σ claim only here.
    const { sizes } = simulatePitmanYor(new Rng(1), 0.5, 1000, 300_000);
    const fit = fitPitmanYor(sizes);
    expect(Math.abs(fit.discount - 0.5)).toBeLessThan(0.01);
    expect(fit.standardErrors.discount).toBeLessThan(0.0035);
    expect(Math.abs(fit.concentration - 1000)).toBeLessThan(4 * fit.standardErrors.concentration);
    expect(fit.warnings).toEqual([]);
  });

  it('recovers α = 0.5, β = 1 within 4 standard errors from 3·10^5 draws', () => {
    const { sizes } = simulatePitmanYor(new Rng(2), 0.5, 1, 300_000);
    const fit = fitPitmanYor(sizes);
    expect(fit.draws).toBe(300_000);
    expect(Math.abs(fit.discount - 0.5)).toBeLessThan(4 * fit.standardErrors.discount);
    expect(Math.abs(fit.concentration - 1)).toBeLessThan(4 * fit.standardErrors.concentration);
    // The maximum really is one: no neighbour in (α, β) does better.
    for (const [da, db] of [[1e-4, 0], [-1e-4, 0], [0, 1e-3], [0, -1e-3]]) {
      expect(pitmanYorLogLikelihood(sizes, fit.discount + da, fit.concentration + db)).toBeLessThanOrEqual(fit.logLikelihood);
    }
  });

  it('reports standard errors that match the spread of the estimates (χ² over 20 samples)', () => {
    let chiSquare = 0;
    for (let seed = 0; seed < 20; seed++) {
      const fit = fitPitmanYor(simulatePitmanYor(new Rng(100 + seed), 0.5, 1, 20_000).sizes);
      chiSquare += ((fit.discount - 0.5) / fit.standardErrors.discount) ** 2;
    }
    // χ²₂₀: P(< 6) ≈ 0.001, P(> 50) ≈ 0.0002.
    expect(chiSquare).toBeGreaterThan(6);
    expect(chiSquare).toBeLessThan(50);
  });

  it('finds α near 0 for a Dirichlet process and flags the boundary', () => {
    const fits = [1, 3].map((seed) => fitPitmanYor(simulatePitmanYor(new Rng(seed), 0, 10, 100_000).sizes));
    for (const fit of fits) {
      expect(fit.discount).toBeLessThan(0.1); // SE ≈ 0.04 at K ≈ 90 blocks
      expect(Math.abs(fit.concentration - 10)).toBeLessThan(4 * fit.standardErrors.concentration);
    }
    expect(fits.some((fit) => fit.warnings.some((w) => w.includes('boundary')))).toBe(true);
  });
});
