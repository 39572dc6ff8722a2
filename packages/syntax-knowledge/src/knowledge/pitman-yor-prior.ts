import { defineStage, diGamma, KahanSum, logGamma, logRising, type PitmanYorParameters, type Prior, type Rng, type Seating, type TrueWeights } from '@kolmo/core';
import { z } from 'zod';
import { sampleStableBeta } from '../sampling/stable-gamma.ts';
import { PitmanYorSeating } from './pitman-yor-seating.ts';
import { breakStick } from './stick-breaking.ts';

/**
 * The Pitman–Yor process PY(α, β) as a knowledge prior (theory §2): the Chinese-restaurant seating, the EPPF,
 * E[K_n] in closed form, and the true weights by stick-breaking V_k ~ Beta(1 − α, β + kα).
 */
export class PitmanYorPrior implements Prior {
  readonly name: string;
  readonly discount: number;
  readonly concentration: number;
  readonly pitmanYor: PitmanYorParameters;

  constructor(discount: number, concentration: number) {
    assertPitmanYorParameters(discount, concentration);
    this.discount = discount;
    this.concentration = concentration;
    this.pitmanYor = { discount, concentration };
    this.name = `pitman-yor(α=${discount}, β=${concentration})`;
  }

  seating(): Seating {
    return new PitmanYorSeating(this.discount, this.concentration);
  }

  /** EPPF: log[Π_{i=1}^{K−1}(β + iα) / (β + 1)_{n−1} · Π_k (1 − α)_{m_k − 1}], in nats. */
  logMarginal(blockSizes: ArrayLike<number>): number {
    return pitmanYorLogEppf(this.discount, this.concentration, blockSizes);
  }

  expectedDistinct(n: number): number {
    return pitmanYorExpectedDistinct(this.discount, this.concentration, n);
  }

  trueWeights(rng: Rng, options: { maxAtoms: number; tolerance: number }): TrueWeights {
    return breakStick(this, rng, options);
  }

  stickFraction(rng: Rng, k: number): number {
    return sampleStableBeta(rng, 1 - this.discount, this.concentration + k * this.discount);
  }
}

export function assertPitmanYorParameters(discount: number, concentration: number): void {
  if (!(discount >= 0 && discount < 1)) throw new RangeError(`Pitman–Yor discount α must be in [0, 1), got ${discount}`);
  if (!(concentration > -discount) || !Number.isFinite(concentration)) {
    throw new RangeError(`Pitman–Yor concentration β must be finite and > −α = ${-discount}, got ${concentration}`);
  }
}

export function pitmanYorLogEppf(alpha: number, beta: number, blockSizes: ArrayLike<number>): number {
  const k = blockSizes.length;
  if (k === 0) return 0;
  let n = 0;
  const sum = new KahanSum();
  for (let i = 1; i < k; i++) sum.add(Math.log(beta + i * alpha));
  for (let b = 0; b < k; b++) {
    const m = blockSizes[b];
    if (!(m >= 1) || !Number.isInteger(m)) throw new RangeError(`block sizes must be positive integers, got ${m}`);
    n += m;
    if (m > 1) sum.add(logRising(1 - alpha, m - 1));
  }
  sum.add(-logRising(beta + 1, n - 1));
  return sum.value;
}

/**
 * E[K_n] = Γ(β+1)Γ(β+n+α) / (α Γ(β+α) Γ(β+n)) − β/α for α > 0 (written as β·expm1(L)/α for β > 0, which
 * keeps digits when the two terms nearly cancel), β(ψ(β+n) − ψ(β)) for α = 0. Below α = 0.01 the closed form
 * loses digits to cancellation, so up to n = 10^7 the exact recursion is used there instead.
 */
export function pitmanYorExpectedDistinct(alpha: number, beta: number, n: number): number {
  if (n <= 0) return 0;
  if (alpha === 0) return beta * (diGamma(beta + n) - diGamma(beta));
  if (alpha < 0.01 && n <= 1e7) return pitmanYorExpectedDistinctByRecursion(alpha, beta, n);
  const log = logGamma(beta + 1) + logGamma(beta + n + alpha) - logGamma(beta + alpha) - logGamma(beta + n);
  if (beta > 0) return (beta * Math.expm1(log - Math.log(beta))) / alpha;
  return (Math.exp(log) - beta) / alpha;
}

/** E[K_{n+1}] = E[K_n](1 + α/(n+β)) + β/(n+β), E[K_1] = 1 (theory §2). O(n). */
export function pitmanYorExpectedDistinctByRecursion(alpha: number, beta: number, n: number): number {
  if (n <= 0) return 0;
  let expected = 1;
  for (let i = 1; i < n; i++) expected = expected * (1 + alpha / (i + beta)) + beta / (i + beta);
  return expected;
}

/**
 * Exact mean and variance of K_n at each checkpoint (ascending), by the moment recursion of
 * K_{i+1} = K_i + Bernoulli((β + αK_i)/(i + β)): the standard errors of simulation tests come from here.
 */
export function pitmanYorDistinctMoments(alpha: number, beta: number, checkpoints: readonly number[]): { mean: number; variance: number }[] {
  const out: { mean: number; variance: number }[] = [];
  let m1 = 1;
  let m2 = 1;
  let i = 1;
  for (const n of checkpoints) {
    for (; i < n; i++) {
      const p = (beta + alpha * m1) / (i + beta);
      const kp = (beta * m1 + alpha * m2) / (i + beta);
      m2 += 2 * kp + p;
      m1 += p;
    }
    out.push({ mean: m1, variance: m2 - m1 * m1 });
  }
  return out;
}

/** E[number of elements seen exactly j times after n draws] = C(n, j) (1−α)_{j−1} (β+α)_{n−j} / (β+1)_{n−1}. */
export function pitmanYorExpectedBlocksOfSize(alpha: number, beta: number, n: number, j: number): number {
  if (j < 1 || j > n) return 0;
  const logChoose = logGamma(n + 1) - logGamma(j + 1) - logGamma(n - j + 1);
  return Math.exp(logChoose + logRising(1 - alpha, j - 1) + logRising(beta + alpha, n - j) - logRising(beta + 1, n - 1));
}

const config = z
  .object({
    discount: z
      .number()
      .min(0, 'discount α must be in [0, 1)')
      .lt(1, 'discount α must be in [0, 1) (α = 1 is not a proper prior)')
      .default(0.5).describe('discount α in [0, 1): the tail exponent (Heaps: K_n grows as n^α)'),
    concentration: z.number().default(1).describe('concentration β > −α: more new elements early on'),
  })
  .refine((c) => c.concentration > -c.discount, {
    message: 'concentration β must be greater than −discount (β > −α)',
    path: ['concentration'],
  });

export const pitmanYorPrior = defineStage({
  kind: 'prior',
  type: 'pitman-yor',
  description: 'Pitman–Yor process PY(α, β): Chinese-restaurant seating, EPPF, E[K_n], stick-breaking true weights',
  config,
  create: ({ discount, concentration }) => new PitmanYorPrior(discount, concentration),
});
