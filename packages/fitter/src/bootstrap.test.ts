import { Rng, sampleNormal } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { bootstrap, indexSampler, quantile } from './bootstrap.ts';

const mean = (values: ArrayLike<number>, indices: Int32Array) => {
  let sum = 0;
  for (const i of indices) sum += values[i];
  return sum / indices.length;
};

describe('bootstrap', () => {
  it('gives the mean of normal data a percentile interval ≈ x̄ ± 1.96 s/√n', () => {
    const rng = new Rng(5);
    const n = 400;
    const data = Array.from({ length: n }, () => 10 + 2 * sampleNormal(rng));
    const result = bootstrap(n, (indices) => ({ mean: mean(data, indices) }), { rng: rng.split('bootstrap'), resamples: 2000 });
    const xbar = data.reduce((s, v) => s + v, 0) / n;
    const s = Math.sqrt(data.reduce((acc, v) => acc + (v - xbar) ** 2, 0) / (n - 1));
    const se = s / Math.sqrt(n);
    // The bootstrap SE is itself an estimate from 2000 resamples: relative error ≈ 1/√(2·2000) ≈ 1.6%; allow 4σ.
    expect(Math.abs(result.standardErrors.mean / se - 1)).toBeLessThan(0.065);
    const [low, high] = result.intervals.mean;
    expect(Math.abs((xbar - low) / (1.96 * se) - 1)).toBeLessThan(0.1);
    expect(Math.abs((high - xbar) / (1.96 * se) - 1)).toBeLessThan(0.1);
    expect(result.failures).toBe(0);
  });

  it('is reproducible from the seed and counts failed resamples', () => {
    const data = [1, 2, 3, 4, 5, 6, 7, 8];
    const run = () =>
      bootstrap(data.length, (indices) => (indices[0] === 0 ? undefined : { m: mean(data, indices) }), { rng: new Rng(9), resamples: 300 });
    const a = run();
    expect(a.intervals).toEqual(run().intervals);
    // P(first index is 0) = 1/8: the failure count is Binomial(300, 1/8), mean 37.5, sd 5.7.
    expect(Math.abs(a.failures - 37.5)).toBeLessThan(4 * 5.73);
    expect(a.samples.m.length).toBe(300 - a.failures);
  });

  it('resamples whole groups when labels are given', () => {
    const groups = ['s1', 's1', 's1', 's2', 's2', 's2', 's3', 's3', 's3'];
    const draw = indexSampler(groups.length, groups);
    const rng = new Rng(2);
    for (let r = 0; r < 50; r++) {
      const indices = draw(rng);
      expect(indices.length).toBe(9);
      for (let k = 0; k < 9; k += 3) {
        const block = [indices[k], indices[k + 1], indices[k + 2]];
        expect(new Set(block.map((i) => groups[i])).size).toBe(1);
        expect(block[1] - block[0]).toBe(1);
      }
    }
  });

  it('computes numpy-style (type 7) quantiles', () => {
    const sorted = [1, 2, 3, 4, 5];
    expect(quantile(sorted, 0)).toBe(1);
    expect(quantile(sorted, 1)).toBe(5);
    expect(quantile(sorted, 0.5)).toBe(3);
    expect(quantile(sorted, 0.1)).toBeCloseTo(1.4, 12);
  });
});
