import { Rng, type Prior, type Seating } from '@kolmo/core';
import { describe, expect, it } from 'vitest';
import { DirichletProcessPrior } from './dirichlet-process-prior.ts';
import { FiniteDirichletPrior } from './finite-dirichlet-prior.ts';
import { UniformPrior } from './uniform-prior.ts';
import { ZipfMandelbrotPrior, zipfMandelbrotWeights } from './zipf-mandelbrot-prior.ts';

/** All set partitions of {0..n−1} as appearance-ordered labels. */
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

function seat(seating: Seating, rng: Rng, n: number): Seating {
  for (let i = 0; i < n; i++) seating.add(seating.sample(rng));
  return seating;
}

/**
 * Exact mean and variance of K_n when the new-element probability is (b + a·K)/(i + b') after i draws:
 * DP: a = 0, b = b' = β; finite Dirichlet: a = −c, b = b' = Mc.
 */
function linearMoments(a: number, b: number, n: number): { mean: number; variance: number } {
  let m1 = 1;
  let m2 = 1;
  for (let i = 1; i < n; i++) {
    const p = (b + a * m1) / (i + b);
    const kp = (b * m1 + a * m2) / (i + b);
    m2 += 2 * kp + p;
    m1 += p;
  }
  return { mean: m1, variance: m2 - m1 * m1 };
}

/** Exact Var[K_n] for i.i.d. draws from fixed weights: Σ_j Σ_k Cov(seen_j, seen_k). */
function fixedWeightsVariance(weights: Float64Array, n: number): number {
  const unseen = Array.from(weights, (p) => Math.pow(1 - p, n));
  let variance = 0;
  for (let j = 0; j < weights.length; j++) {
    variance += unseen[j] * (1 - unseen[j]);
    for (let k = j + 1; k < weights.length; k++) variance += 2 * (Math.pow(1 - weights[j] - weights[k], n) - unseen[j] * unseen[k]);
  }
  return variance;
}

function meanDistinct(prior: Prior, n: number, runs: number, seed: number): number {
  const rng = new Rng(seed);
  let sum = 0;
  for (let r = 0; r < runs; r++) sum += seat(prior.seating(), rng, n).distinct;
  return sum / runs;
}

function sequentialLogProbability(prior: Prior, n: number, seed: number): { sequential: number; sizes: number[] } {
  const seating = prior.seating();
  const rng = new Rng(seed);
  let sequential = 0;
  for (let i = 0; i < n; i++) {
    const element = seating.sample(rng);
    sequential += Math.log(element === seating.distinct ? seating.probabilityNew() : seating.probabilityExisting(element));
    seating.add(element);
  }
  return { sequential, sizes: Array.from({ length: seating.distinct }, (_, k) => seating.count(k)) };
}

/** Chi-square of the sampled set partitions of 3 draws against `probability(labels)`. */
function partitionChiSquare(prior: Prior, probability: (labels: number[]) => number, runs: number, seed: number): number {
  const rng = new Rng(seed);
  const observed = new Map<string, number>();
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
  for (const labels of setPartitions(3)) {
    const expected = runs * probability(labels);
    chi2 += ((observed.get(labels.join('')) ?? 0) - expected) ** 2 / expected;
  }
  return chi2;
}

const chiSquare4dof = 23.5; // P(χ²_4 > 23.5) ≈ 1e-4

describe('the Pitman–Yor capability', () => {
  it('the Dirichlet process declares itself Pitman–Yor with discount 0; the other priors do not', () => {
    expect(new DirichletProcessPrior(3).pitmanYor).toEqual({ discount: 0, concentration: 3 });
    const finite: Prior = new FiniteDirichletPrior(100, 0.5);
    expect(finite.pitmanYor).toBeUndefined();
  });
});

describe('Dirichlet process prior', () => {
  const prior = new DirichletProcessPrior(2);

  it('E[K_n] = β(ψ(β + n) − ψ(β)): closed form, direct sum and simulation (5 standard errors)', () => {
    let direct = 0;
    for (let i = 0; i < 1000; i++) direct += 2 / (2 + i);
    expect(Math.abs(prior.expectedDistinct(1000) - direct)).toBeLessThan(1e-10);
    expect(Math.abs(new DirichletProcessPrior(1).expectedDistinct(1000) - 7.4855)).toBeLessThan(5e-5);
    const { mean, variance } = linearMoments(0, 2, 1000);
    expect(Math.abs(mean - direct)).toBeLessThan(1e-9);
    const runs = 2000;
    expect(Math.abs(meanDistinct(prior, 1000, runs, 1) - mean)).toBeLessThan(5 * Math.sqrt(variance / runs));
  });

  it('EPPF sums to one, matches the sequential predictive, and the sampler draws partitions with it', () => {
    const total = setPartitions(5).reduce((s, labels) => s + Math.exp(prior.logMarginal(sizesOf(labels))), 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    const { sequential, sizes } = sequentialLogProbability(prior, 20000, 2);
    expect(Math.abs(prior.logMarginal(sizes) - sequential) / Math.abs(sequential)).toBeLessThan(1e-9);
    expect(partitionChiSquare(prior, (labels) => Math.exp(prior.logMarginal(sizesOf(labels))), 30000, 3)).toBeLessThan(chiSquare4dof);
  });

  it('stick-breaking true weights: E[π_1] = 1/(1 + β), truncation below tolerance, all mass accounted for', () => {
    const rng = new Rng(4);
    const firsts: number[] = [];
    for (let r = 0; r < 4000; r++) firsts.push(prior.trueWeights(rng, { maxAtoms: 1, tolerance: 0 }).weights[0]);
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    const sd = Math.sqrt(firsts.reduce((a, b) => a + (b - mean) ** 2, 0) / (firsts.length - 1));
    expect(Math.abs(mean - 1 / 3)).toBeLessThan(5 * (sd / Math.sqrt(firsts.length)));
    const { weights, truncationMass } = prior.trueWeights(rng, { maxAtoms: 100000, tolerance: 1e-9 });
    expect(truncationMass).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(weights.reduce((a, b) => a + b, 0) + truncationMass - 1)).toBeLessThan(1e-12);
  });

  it('rejects β ≤ 0', () => {
    expect(() => new DirichletProcessPrior(0)).toThrow(/positive/);
  });
});

describe('finite symmetric Dirichlet prior', () => {
  const M = 50;
  const c = 0.5;
  const prior = new FiniteDirichletPrior(M, c);

  it('E[K_n] = M(1 − ((M−1)c)_n/(Mc)_n): recursion, average of Σ_k 1 − (1 − π_k)^n over π, and simulation', () => {
    const n = 200;
    const closed = prior.expectedDistinct(n);
    const { mean, variance } = linearMoments(-c, M * c, n);
    expect(Math.abs(closed - mean) / mean).toBeLessThan(1e-9);
    const runs = 2000;
    expect(Math.abs(meanDistinct(prior, n, runs, 5) - mean)).toBeLessThan(5 * Math.sqrt(variance / runs));
    // Over draws of the weights: E[Σ_k 1 − (1 − π_k)^n] is the same number.
    const rng = new Rng(6);
    const values: number[] = [];
    for (let r = 0; r < 2000; r++) {
      const { weights, truncationMass } = prior.trueWeights(rng, { maxAtoms: 1000, tolerance: 1e-6 });
      expect(truncationMass).toBe(0);
      expect(weights.length).toBe(M);
      values.push(weights.reduce((s, p) => s - Math.expm1(n * Math.log1p(-p)), 0));
    }
    const average = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - average) ** 2, 0) / (values.length - 1));
    expect(Math.abs(average - closed)).toBeLessThan(5 * (sd / Math.sqrt(values.length)));
    // Unseen labels vanish like n^{−c}: E[K_n] rises towards M but slowly for small c.
    expect(prior.expectedDistinct(1e7)).toBeLessThan(M);
    expect(prior.expectedDistinct(1e7)).toBeGreaterThan(prior.expectedDistinct(1e5));
    expect(new FiniteDirichletPrior(M, 5).expectedDistinct(1e7)).toBeCloseTo(M, 6);
  });

  it('partition probability sums to one, matches the sequential predictive, and the sampler draws partitions with it', () => {
    const total = setPartitions(5).reduce((s, labels) => s + Math.exp(prior.logMarginal(sizesOf(labels))), 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-12);
    const { sequential, sizes } = sequentialLogProbability(prior, 20000, 7);
    expect(sizes.length).toBeLessThanOrEqual(M);
    expect(Math.abs(prior.logMarginal(sizes) - sequential) / Math.abs(sequential)).toBeLessThan(1e-9);
    const tiny = new FiniteDirichletPrior(3, 0.4);
    expect(partitionChiSquare(tiny, (labels) => Math.exp(tiny.logMarginal(sizesOf(labels))), 30000, 8)).toBeLessThan(chiSquare4dof);
    expect(tiny.logMarginal([1, 1, 1, 1])).toBe(-Infinity);
  });

  it('true weights in stick order: E[π_1] = (1 + c)/(1 + Mc) (size-biased pick), all mass in M atoms', () => {
    const rng = new Rng(9);
    const firsts: number[] = [];
    for (let r = 0; r < 4000; r++) {
      const { weights } = prior.trueWeights(rng, { maxAtoms: M, tolerance: 0 });
      expect(Math.abs(weights.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      firsts.push(weights[0]);
    }
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    const sd = Math.sqrt(firsts.reduce((a, b) => a + (b - mean) ** 2, 0) / (firsts.length - 1));
    expect(Math.abs(mean - (1 + c) / (1 + M * c))).toBeLessThan(5 * (sd / Math.sqrt(firsts.length)));
    const truncated = prior.trueWeights(rng, { maxAtoms: 10, tolerance: 0 });
    expect(truncated.weights.length).toBe(10);
    expect(Math.abs(truncated.weights.reduce((a, b) => a + b, 0) + truncated.truncationMass - 1)).toBeLessThan(1e-12);
  });
});

describe('fixed-weight priors (Zipf–Mandelbrot, uniform)', () => {
  it('Zipf–Mandelbrot weights are ∝ (r + q)^−s, sorted, normalised, and the true weights are exactly them', () => {
    const prior = new ZipfMandelbrotPrior(1000, 1.5, 2.7);
    const raw = zipfMandelbrotWeights(1000, 1.5, 2.7);
    const z = raw.reduce((a, b) => a + b, 0);
    prior.weights.forEach((w, r) => expect(Math.abs(w - raw[r] / z)).toBeLessThan(1e-15));
    expect(prior.weights[0] / prior.weights[9]).toBeCloseTo(Math.pow((10 + 2.7) / (1 + 2.7), 1.5), 10);
    const { weights, truncationMass } = prior.trueWeights(new Rng(1), { maxAtoms: 1 << 20, tolerance: 1e-6 });
    expect(truncationMass).toBe(0);
    expect(Array.from(weights)).toEqual(Array.from(prior.weights));
  });

  for (const prior of [new ZipfMandelbrotPrior(300, 1.2, 0.5), new UniformPrior(300)]) {
    it(`${prior.name}: mean distinct elements matches Σ_k 1 − (1 − π_k)^n (exact variance, 5 standard errors)`, () => {
      const n = 500;
      const expected = prior.weights.reduce((s, p) => s + 1 - Math.pow(1 - p, n), 0);
      expect(Math.abs(prior.expectedDistinct(n) - expected) / expected).toBeLessThan(1e-12);
      const runs = 2000;
      const variance = fixedWeightsVariance(prior.weights, n);
      expect(Math.abs(meanDistinct(prior, n, runs, 10) - expected)).toBeLessThan(5 * Math.sqrt(variance / runs));
    });

    it(`${prior.name}: samples are i.i.d. from the weights (exact partition law of 3 draws, chi-square)`, () => {
      // Probability of a set partition of 3 draws under i.i.d. sampling: Σ over distinct atoms, in closed sums.
      const p = prior.weights;
      const s = (k: number) => p.reduce((acc, x) => acc + x ** k, 0);
      const [s1, s2, s3] = [s(1), s(2), s(3)];
      const exact: Record<string, number> = {
        '000': s3,
        '001': s2 * s1 - s3,
        '010': s2 * s1 - s3,
        '011': s2 * s1 - s3,
        '012': s1 ** 3 - 3 * s2 * s1 + 2 * s3,
      };
      expect(partitionChiSquare(prior, (labels) => exact[labels.join('')], 40000, 11)).toBeLessThan(chiSquare4dof);
    });

    it(`${prior.name}: the replay log-marginal sums to one over partitions and matches its sequential predictive`, () => {
      const small = prior instanceof UniformPrior ? new UniformPrior(4) : new ZipfMandelbrotPrior(4, 1.2, 0.5);
      const total = setPartitions(5).reduce((acc, labels) => acc + Math.exp(small.logMarginal(sizesOf(labels))), 0);
      expect(Math.abs(total - 1)).toBeLessThan(1e-12);
      // Replaying observed data (add without sample): the predictive the closed form describes.
      const source = prior.seating();
      const rng = new Rng(12);
      const labels: number[] = [];
      for (let i = 0; i < 5000; i++) {
        const element = source.sample(rng);
        labels.push(element);
        source.add(element);
      }
      const replay = prior.seating();
      let sequential = 0;
      for (const element of labels) {
        sequential += Math.log(element === replay.distinct ? replay.probabilityNew() : replay.probabilityExisting(element));
        replay.add(element);
      }
      const sizes = Array.from({ length: replay.distinct }, (_, k) => replay.count(k));
      expect(Math.abs(prior.logMarginal(sizes) - sequential) / Math.abs(sequential)).toBeLessThan(1e-9);
    });
  }

  it('uniform: the partition probability is exactly M!/(M − K)!/M^n', () => {
    const prior = new UniformPrior(10);
    const sizes = [3, 1, 2];
    const exact = Math.log(10 * 9 * 8) - 6 * Math.log(10);
    expect(Math.abs(prior.logMarginal(sizes) - exact)).toBeLessThan(1e-12);
    expect(prior.expectedDistinct(7)).toBeCloseTo(10 * (1 - 0.9 ** 7), 12);
  });

  it('rejects empty or ill-formed parameters', () => {
    expect(() => new UniformPrior(0)).toThrow(/M ≥ 1/);
    expect(() => new ZipfMandelbrotPrior(10, 0, 0)).toThrow(/exponent/);
    expect(() => new ZipfMandelbrotPrior(10, 1, -1)).toThrow(/offset/);
    expect(() => new FiniteDirichletPrior(0, 1)).toThrow(/M ≥ 1/);
    expect(() => new FiniteDirichletPrior(5, 0)).toThrow(/positive/);
  });
});

describe('prior stages', () => {
  it('register under their types, validate configs, and build priors with true weights', async () => {
    const { default: module } = await import('./index.ts');
    const { dirichletProcessPrior } = await import('./dirichlet-process-prior.ts');
    const { finiteDirichletPrior } = await import('./finite-dirichlet-prior.ts');
    const { zipfMandelbrotPrior } = await import('./zipf-mandelbrot-prior.ts');
    const { uniformPrior } = await import('./uniform-prior.ts');
    expect(module).toBeDefined();
    const context = {} as Parameters<typeof uniformPrior.create>[1];
    for (const stage of [dirichletProcessPrior, finiteDirichletPrior, zipfMandelbrotPrior, uniformPrior]) {
      expect(stage.kind).toBe('prior');
      const prior = (await stage.create(stage.config.parse({}) as never, context)) as Prior;
      const { weights, truncationMass } = prior.trueWeights!(new Rng(1), { maxAtoms: 1 << 20, tolerance: 1e-6 });
      expect(weights.length).toBeGreaterThan(0);
      expect(truncationMass).toBeLessThanOrEqual(1e-6);
    }
    expect(dirichletProcessPrior.config.safeParse({ concentration: 0 }).success).toBe(false);
    expect(finiteDirichletPrior.config.safeParse({ elements: 0 }).success).toBe(false);
    expect(zipfMandelbrotPrior.config.safeParse({ offset: -1 }).success).toBe(false);
    expect(uniformPrior.config.safeParse({ elements: 2.5 }).success).toBe(false);
  });
});
