import { Rng, type Seating } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import {
  PitmanYorPrior,
  pitmanYorExpectedBlocksOfSize,
  pitmanYorExpectedDistinct,
  pitmanYorExpectedDistinctByRecursion,
  pitmanYorLogEppf,
  pitmanYorDistinctMoments as distinctMoments,
} from './pitman-yor-prior.ts';

function seatDraws(seating: Seating, rng: Rng, n: number): void {
  for (let i = 0; i < n; i++) seating.add(seating.sample(rng));
}

function blockSizes(seating: Seating): number[] {
  return Array.from({ length: seating.distinct }, (_, k) => seating.count(k));
}

/** All set partitions of {0..n−1} as appearance-ordered labels (restricted growth strings). */
function setPartitions(n: number): number[][] {
  const out: number[][] = [];
  const grow = (labels: number[], max: number) => {
    if (labels.length === n) return void out.push([...labels]);
    for (let k = 0; k <= max + 1; k++) grow([...labels, k], Math.max(max, k));
  };
  grow([0], 0);
  return out;
}

function sizesOf(labels: number[]): number[] {
  const sizes: number[] = [];
  for (const k of labels) sizes[k] = (sizes[k] ?? 0) + 1;
  return sizes;
}

describe('Pitman–Yor E[K_n]', () => {
  it('reproduces the theory §9 table to 4 decimals', () => {
    const table: [number, number, number, number][] = [
      [0.5, 1, 10, 5.4003],
      [0.5, 1, 100, 20.6521],
      [0.5, 1, 1000, 69.3917],
      [0.5, 1, 10000, 223.6843],
      [0.5, 1, 100000, 711.6523],
      [0.5, 1, 3000, 121.6232],
      [0, 1, 1000, 7.4855],
    ];
    for (const [alpha, beta, n, expected] of table) {
      expect(Math.abs(pitmanYorExpectedDistinct(alpha, beta, n) - expected)).toBeLessThan(5e-5);
      expect(Math.abs(pitmanYorExpectedDistinctByRecursion(alpha, beta, n) - expected)).toBeLessThan(5e-5);
      expect(new PitmanYorPrior(alpha, beta).expectedDistinct(n)).toBe(pitmanYorExpectedDistinct(alpha, beta, n));
    }
  });

  it('closed form and recursion agree (incl. β < 0, β = 0, small α)', () => {
    for (const alpha of [0.001, 0.1, 0.3, 0.5, 0.72, 0.9]) {
      for (const beta of [-alpha / 2, 0, 0.5, 1, 10]) {
        if (alpha === 0 && beta <= 0) continue;
        for (const n of [1, 2, 10, 1000, 100000]) {
          const closed = pitmanYorExpectedDistinct(alpha, beta, n);
          const recursion = pitmanYorExpectedDistinctByRecursion(alpha, beta, n);
          expect(Math.abs(closed - recursion) / recursion, `α=${alpha} β=${beta} n=${n}`).toBeLessThan(1e-9);
        }
      }
    }
    // α = 0: β(ψ(β+n) − ψ(β)) against Σ_{i<n} β/(β+i)
    for (const beta of [0.1, 1, 7.5]) {
      let direct = 0;
      for (let i = 0; i < 5000; i++) direct += beta / (beta + i);
      expect(Math.abs(pitmanYorExpectedDistinct(0, beta, 5000) - direct) / direct).toBeLessThan(1e-12);
    }
  });

  it('expected block counts: Σ_j E[K_{n,j}] = E[K_n], Σ_j j E[K_{n,j}] = n, singleton share → α', () => {
    for (const [alpha, beta] of [
      [0.5, 1],
      [0.3, 2],
      [0, 1],
    ]) {
      const n = 500;
      let blocks = 0;
      let draws = 0;
      for (let j = 1; j <= n; j++) {
        const e = pitmanYorExpectedBlocksOfSize(alpha, beta, n, j);
        blocks += e;
        draws += j * e;
      }
      expect(Math.abs(blocks - pitmanYorExpectedDistinct(alpha, beta, n)) / blocks).toBeLessThan(1e-9);
      expect(Math.abs(draws - n) / n).toBeLessThan(1e-9);
    }
    // The singleton share tends to α (it is α + O(n^{−α}) for β = 1).
    const share = (n: number) => pitmanYorExpectedBlocksOfSize(0.5, 1, n, 1) / pitmanYorExpectedDistinct(0.5, 1, n);
    expect(Math.abs(share(1e8) - 0.5)).toBeLessThan(2e-3);
    expect(Math.abs(share(1e8) - 0.5)).toBeLessThan(Math.abs(share(1e4) - 0.5));
  });
});

describe('Pitman–Yor seating', () => {
  it('predictive probabilities sum to one at every step', () => {
    const rng = new Rng(1);
    for (const [alpha, beta] of [
      [0.5, 1],
      [0.6, -0.4],
      [0, 2],
    ]) {
      const seating = new PitmanYorPrior(alpha, beta).seating();
      expect(seating.probabilityNew()).toBe(1);
      for (let i = 0; i < 300; i++) {
        let total = seating.probabilityNew();
        for (let k = 0; k < seating.distinct; k++) total += seating.probabilityExisting(k);
        expect(Math.abs(total - 1)).toBeLessThan(1e-12);
        seating.add(seating.sample(rng));
      }
    }
  });

  it('EPPF sums to one over all set partitions of 5, and matches the sequential predictive to 1e-9', () => {
    for (const [alpha, beta] of [
      [0.5, 1],
      [0.3, -0.2],
      [0, 0.7],
      [0.9, 0],
    ]) {
      let total = 0;
      for (const labels of setPartitions(5)) total += Math.exp(pitmanYorLogEppf(alpha, beta, sizesOf(labels)));
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);

      const prior = new PitmanYorPrior(alpha, beta);
      const seating = prior.seating();
      const rng = new Rng(7);
      let sequential = 0;
      for (let i = 0; i < 20000; i++) {
        const element = seating.sample(rng);
        sequential += Math.log(element === seating.distinct ? seating.probabilityNew() : seating.probabilityExisting(element));
        seating.add(element);
      }
      const closed = prior.logMarginal(blockSizes(seating));
      expect(Math.abs(closed - sequential) / Math.abs(closed)).toBeLessThan(1e-9);
    }
  });

  it('samples each set partition of 3 draws with its EPPF probability (chi-square, incl. β < 0)', () => {
    for (const [alpha, beta] of [
      [0.5, 1],
      [0.6, -0.4],
    ]) {
      const prior = new PitmanYorPrior(alpha, beta);
      const partitions = setPartitions(3);
      const observed = new Map<string, number>();
      const runs = 30000;
      const rng = new Rng(3);
      for (let r = 0; r < runs; r++) {
        const seating = prior.seating();
        const labels: number[] = [];
        for (let i = 0; i < 3; i++) {
          const element = seating.sample(rng);
          labels.push(element);
          seating.add(element);
        }
        observed.set(labels.join(''), (observed.get(labels.join('')) ?? 0) + 1);
      }
      let chi2 = 0;
      for (const labels of partitions) {
        const expected = runs * Math.exp(prior.logMarginal(sizesOf(labels)));
        chi2 += ((observed.get(labels.join('')) ?? 0) - expected) ** 2 / expected;
      }
      // 4 degrees of freedom: P(χ² > 23.5) ≈ 1e-4.
      expect(chi2).toBeLessThan(23.5);
    }
  });

  it('mean distinct elements matches E[K_n] (α = 0.5, β = 1; n = 10 … 10^5) within 5 standard errors', () => {
    const prior = new PitmanYorPrior(0.5, 1);
    const checkpoints = [10, 100, 1000, 10000];
    const theory = distinctMoments(0.5, 1, [...checkpoints, 100000]);
    const rng = new Rng(11);
    const runs = 1000;
    const sums = new Float64Array(checkpoints.length);
    for (let r = 0; r < runs; r++) {
      const seating = prior.seating();
      let drawn = 0;
      checkpoints.forEach((n, c) => {
        seatDraws(seating, rng, n - drawn);
        drawn = n;
        sums[c] += seating.distinct;
      });
    }
    checkpoints.forEach((n, c) => {
      const mean = sums[c] / runs;
      expect(Math.abs(theory[c].mean - prior.expectedDistinct(n))).toBeLessThan(1e-8 * theory[c].mean);
      expect(Math.abs(mean - theory[c].mean), `n=${n}`).toBeLessThan(5 * Math.sqrt(theory[c].variance / runs));
    });
    const bigRuns = 100;
    let big = 0;
    for (let r = 0; r < bigRuns; r++) {
      const seating = prior.seating();
      seatDraws(seating, rng, 100000);
      big += seating.distinct;
    }
    expect(Math.abs(big / bigRuns - theory[4].mean)).toBeLessThan(5 * Math.sqrt(theory[4].variance / bigRuns));
  }, 60_000);

  it('mean distinct elements matches E[K_n] for α = 0 (β = 1, n = 1000: 7.4855)', () => {
    const prior = new PitmanYorPrior(0, 1);
    const [theory] = distinctMoments(0, 1, [1000]);
    const rng = new Rng(12);
    const runs = 2000;
    let sum = 0;
    for (let r = 0; r < runs; r++) {
      const seating = prior.seating();
      seatDraws(seating, rng, 1000);
      sum += seating.distinct;
    }
    expect(Math.abs(theory.mean - 7.4855)).toBeLessThan(5e-5);
    expect(Math.abs(sum / runs - theory.mean)).toBeLessThan(5 * Math.sqrt(theory.variance / runs));
  });

  it('singleton count matches E[K_{n,1}] and the singleton fraction is near α', () => {
    const prior = new PitmanYorPrior(0.5, 1);
    const n = 20000;
    const runs = 200;
    const rng = new Rng(13);
    const singles: number[] = [];
    let distinct = 0;
    for (let r = 0; r < runs; r++) {
      const seating = prior.seating();
      seatDraws(seating, rng, n);
      let s = 0;
      for (let k = 0; k < seating.distinct; k++) if (seating.count(k) === 1) s++;
      singles.push(s);
      distinct += seating.distinct;
    }
    const mean = singles.reduce((a, b) => a + b, 0) / runs;
    const sd = Math.sqrt(singles.reduce((a, b) => a + (b - mean) ** 2, 0) / (runs - 1));
    const expected = pitmanYorExpectedBlocksOfSize(0.5, 1, n, 1);
    expect(Math.abs(mean - expected)).toBeLessThan(5 * (sd / Math.sqrt(runs)));
    // At n = 2·10^4 the expected share is still α + O(n^{−α}); the pooled share sits within 0.02 of α.
    expect(Math.abs(mean / (distinct / runs) - 0.5)).toBeLessThan(0.02);
  }, 60_000);

  it('the EPPF maximum-likelihood discount recovers α within 5 standard errors (observed information)', () => {
    for (const [alpha, seed] of [
      [0.5, 21],
      [0.3, 22],
    ]) {
      const seating = new PitmanYorPrior(alpha, 1).seating();
      seatDraws(seating, new Rng(seed), 100000);
      const sizes = blockSizes(seating);
      const logLikelihood = (a: number) => pitmanYorLogEppf(a, 1, sizes);
      let lo = 0.001;
      let hi = 0.999;
      const phi = (Math.sqrt(5) - 1) / 2;
      for (let i = 0; i < 80; i++) {
        const a = hi - phi * (hi - lo);
        const b = lo + phi * (hi - lo);
        if (logLikelihood(a) > logLikelihood(b)) hi = b;
        else lo = a;
      }
      const estimate = (lo + hi) / 2;
      const h = 1e-4;
      const curvature = (logLikelihood(estimate + h) - 2 * logLikelihood(estimate) + logLikelihood(estimate - h)) / (h * h);
      const standardError = 1 / Math.sqrt(-curvature);
      expect(standardError).toBeLessThan(0.05);
      expect(Math.abs(estimate - alpha), `α̂ = ${estimate} ± ${standardError}`).toBeLessThan(5 * standardError);
    }
  });
});

describe('Pitman–Yor true weights (stick-breaking)', () => {
  it('stops once the mass left is below tolerance, and accounts for all mass', () => {
    const prior = new PitmanYorPrior(0.3, 1);
    const { weights, truncationMass } = prior.trueWeights(new Rng(5), { maxAtoms: 1 << 20, tolerance: 1e-6 });
    expect(truncationMass).toBeLessThanOrEqual(1e-6);
    expect(weights.length).toBeLessThan(1 << 20);
    let sum = 0;
    for (const w of weights) sum += w;
    expect(Math.abs(sum + truncationMass - 1)).toBeLessThan(1e-12);
  });

  it('reports the truncation mass when α ≥ 0.6 cannot reach the tolerance', () => {
    const prior = new PitmanYorPrior(0.8, 1);
    const { weights, truncationMass } = prior.trueWeights(new Rng(6), { maxAtoms: 10000, tolerance: 1e-6 });
    expect(weights.length).toBe(10000);
    expect(truncationMass).toBeGreaterThan(1e-6);
    let sum = 0;
    for (const w of weights) sum += w;
    expect(Math.abs(sum + truncationMass - 1)).toBeLessThan(1e-12);
  });

  it('E[π_1] = (1 − α)/(1 + β) and E[mass beyond K atoms] = Π_k (β + kα)/(1 + β + (k − 1)α)', () => {
    const alpha = 0.5;
    const beta = 1;
    const prior = new PitmanYorPrior(alpha, beta);
    const K = 50;
    const runs = 4000;
    const rng = new Rng(8);
    const first: number[] = [];
    const left: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { weights, truncationMass } = prior.trueWeights(rng, { maxAtoms: K, tolerance: 0 });
      first.push(weights[0]);
      left.push(truncationMass);
    }
    let expectedLeft = 1;
    for (let k = 1; k <= K; k++) expectedLeft *= (beta + k * alpha) / (1 + beta + (k - 1) * alpha);
    const check = (values: number[], expected: number) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
      expect(Math.abs(mean - expected)).toBeLessThan(5 * (sd / Math.sqrt(values.length)));
    };
    check(first, (1 - alpha) / (1 + beta));
    check(left, expectedLeft);
  });

  it('ranked weights follow π_(r) ∝ r^{−1/α}: tail mass beyond rank k falls as k^{−(1/α − 1)}', () => {
    const alpha = 0.5;
    for (const seed of [1, 2]) {
      const { weights } = new PitmanYorPrior(alpha, 1).trueWeights(new Rng(seed), { maxAtoms: 1 << 18, tolerance: 0 });
      const ranked = Float64Array.from(weights).sort().reverse();
      const tail = new Float64Array(ranked.length + 1);
      for (let r = ranked.length - 1; r >= 0; r--) tail[r] = tail[r + 1] + ranked[r];
      const xs: number[] = [];
      const ys: number[] = [];
      for (let k = 100; k <= 10000; k = Math.round(k * 1.25)) {
        xs.push(Math.log(k));
        ys.push(Math.log(tail[k]));
      }
      const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
      const my = ys.reduce((a, b) => a + b, 0) / ys.length;
      let sxy = 0;
      let sxx = 0;
      xs.forEach((x, i) => {
        sxy += (x - mx) * (ys[i] - my);
        sxx += (x - mx) ** 2;
      });
      // theory §4 measured 0.997–1.019 for this slope (theory 1/α − 1 = 1) across seeds.
      expect(Math.abs(-sxy / sxx - (1 / alpha - 1))).toBeLessThan(0.06);
    }
  });
});

describe('Pitman–Yor parameters', () => {
  it('rejects α outside [0, 1) and β ≤ −α', () => {
    expect(() => new PitmanYorPrior(1, 1)).toThrow(/discount/);
    expect(() => new PitmanYorPrior(-0.1, 1)).toThrow(/discount/);
    expect(() => new PitmanYorPrior(0.5, -0.5)).toThrow(/concentration/);
    expect(() => new PitmanYorPrior(0, 0)).toThrow(/concentration/);
  });
});
