import { CountedSeating, defineStage, diGamma, KahanSum, logGamma, type PitmanYorParameters, type Prior, type Rng, type Seating, type TrueWeights } from '@kolmo/core';
import { z } from 'zod';
import { breakStick } from './break-stick.ts';

/**
 * The Dirichlet process DP(β) (Pitman–Yor with α = 0): join element k with m_k/(n + β), open a new one with
 * β/(n + β). EPPF β^K Γ(β)/Γ(β + n) Π_k Γ(m_k); E[K_n] = β(ψ(β + n) − ψ(β)) (logarithmic growth);
 * true weights by stick-breaking with V_k ~ Beta(1, β).
 */
export class DirichletProcessPrior implements Prior {
  readonly name: string;
  readonly concentration: number;
  /** The Dirichlet process is Pitman–Yor with discount α = 0. */
  readonly pitmanYor: PitmanYorParameters;

  constructor(concentration: number) {
    if (!(concentration > 0) || !Number.isFinite(concentration)) throw new RangeError(`Dirichlet process concentration β must be positive, got ${concentration}`);
    this.concentration = concentration;
    this.pitmanYor = { discount: 0, concentration };
    this.name = `dirichlet-process(β=${concentration})`;
  }

  seating(): Seating {
    return new DirichletProcessSeating(this.concentration);
  }

  logMarginal(blockSizes: ArrayLike<number>): number {
    const k = blockSizes.length;
    if (k === 0) return 0;
    const beta = this.concentration;
    const sum = new KahanSum();
    let n = 0;
    for (let i = 0; i < k; i++) {
      n += blockSizes[i];
      sum.add(logGamma(blockSizes[i]));
    }
    sum.add(k * Math.log(beta) + logGamma(beta) - logGamma(beta + n));
    return sum.value;
  }

  expectedDistinct(n: number): number {
    if (n <= 0) return 0;
    return this.concentration * (diGamma(this.concentration + n) - diGamma(this.concentration));
  }

  trueWeights(rng: Rng, options: { maxAtoms: number; tolerance: number }): TrueWeights {
    return breakStick((r, k) => this.stickFraction(r, k), rng, options.maxAtoms, options.tolerance);
  }

  /** V ~ Beta(1, β) = 1 − U^{1/β} (exact inversion). */
  stickFraction(rng: Rng, _k?: number): number {
    return -Math.expm1(Math.log(rng.nextOpenFloat()) / this.concentration);
  }
}

/** The Chinese restaurant with α = 0: a new draw copies a uniformly random earlier draw with probability n/(n + β). */
export class DirichletProcessSeating extends CountedSeating {
  private readonly concentration: number;

  constructor(concentration: number) {
    super();
    this.concentration = concentration;
  }


  probabilityExisting(element: number): number {
    return element < this.k ? this.counts[element] / (this.n + this.concentration) : 0;
  }

  probabilityNew(): number {
    return this.concentration / (this.n + this.concentration);
  }

  sample(rng: Rng): number {
    const n = this.n;
    if (n > 0 && rng.nextFloat() * (n + this.concentration) < n) return this.randomEarlierDraw(rng);
    return this.k;
  }
}

export const dirichletProcessPrior = defineStage({
  kind: 'prior',
  type: 'dirichlet-process',
  description: 'Dirichlet process DP(β): Pitman–Yor with α = 0, logarithmic growth of distinct elements',
  config: z.object({
    concentration: z.number().positive('concentration β must be positive').default(1).describe('concentration β > 0: E[K_n] ≈ β log(1 + n/β)'),
  }),
  create: ({ concentration }) => new DirichletProcessPrior(concentration),
});
