import { CountedSeating, defineStage, KahanSum, logRising, type Prior, type Rng, type Seating, type TrueWeights } from '@kolmo/core';
import { z } from 'zod';
import { breakStick } from './break-stick.ts';
import { sampleStableBeta } from './stable-beta.ts';

/**
 * A finite symmetric Dirichlet over M elements, π ~ Dirichlet(c, …, c): join element k with (m_k + c)/(n + Mc),
 * open one of the M − K unseen elements with (M − K)c/(n + Mc). Partition probability (elements in order of
 * first appearance) Π_{i<K} (M − i)c · Π_k (c + 1)_{m_k − 1} / (Mc)_n; E[K_n] = M(1 − ((M−1)c)_n/(Mc)_n).
 * True weights in size-biased (stick) order: V_k ~ Beta(1 + c, (M − k)c), V_M = 1.
 */
export class FiniteDirichletPrior implements Prior {
  readonly name: string;
  readonly elements: number;
  readonly concentration: number;

  constructor(elements: number, concentration: number) {
    if (!(Number.isInteger(elements) && elements >= 1)) throw new RangeError(`finite Dirichlet needs M ≥ 1 elements, got ${elements}`);
    if (!(concentration > 0) || !Number.isFinite(concentration)) throw new RangeError(`finite Dirichlet concentration c must be positive, got ${concentration}`);
    this.elements = elements;
    this.concentration = concentration;
    this.name = `finite-dirichlet(M=${elements}, c=${concentration})`;
  }

  seating(): Seating {
    return new FiniteDirichletSeating(this.elements, this.concentration);
  }

  logMarginal(blockSizes: ArrayLike<number>): number {
    const k = blockSizes.length;
    if (k === 0) return 0;
    if (k > this.elements) return -Infinity;
    const c = this.concentration;
    const sum = new KahanSum();
    let n = 0;
    for (let i = 0; i < k; i++) {
      n += blockSizes[i];
      sum.add(Math.log((this.elements - i) * c) + logRising(c + 1, blockSizes[i] - 1));
    }
    sum.add(-logRising(this.elements * c, n));
    return sum.value;
  }

  expectedDistinct(n: number): number {
    if (n <= 0) return 0;
    const M = this.elements;
    const c = this.concentration;
    if (M === 1) return 1;
    return -M * Math.expm1(logRising((M - 1) * c, n) - logRising(M * c, n));
  }

  trueWeights(rng: Rng, options: { maxAtoms: number; tolerance: number }): TrueWeights {
    // All M atoms when they fit: the truncation mass is then exactly 0, whatever the tolerance.
    return breakStick((r, k) => this.stickFraction(r, k), rng, Math.min(this.elements, options.maxAtoms), 0);
  }

  stickFraction(rng: Rng, k: number): number {
    if (k >= this.elements) return 1;
    return sampleStableBeta(rng, 1 + this.concentration, (this.elements - k) * this.concentration);
  }
}

/**
 * Seating for the finite Dirichlet: with probability n/(n + Mc) copy a uniformly random earlier draw, otherwise
 * pick one of the M labels uniformly — an existing element with probability K/M, else a new one.
 */
export class FiniteDirichletSeating extends CountedSeating {
  private readonly size: number;
  private readonly concentration: number;

  constructor(size: number, concentration: number) {
    super();
    this.size = size;
    this.concentration = concentration;
  }


  probabilityExisting(element: number): number {
    return element < this.k ? (this.counts[element] + this.concentration) / (this.n + this.size * this.concentration) : 0;
  }

  probabilityNew(): number {
    return ((this.size - this.k) * this.concentration) / (this.n + this.size * this.concentration);
  }

  sample(rng: Rng): number {
    const n = this.n;
    if (n > 0 && rng.nextFloat() * (n + this.size * this.concentration) < n) return this.randomEarlierDraw(rng);
    const label = rng.nextInt(this.size);
    return label < this.k ? label : this.k;
  }

  protected override beforeNewElement(): void {
    if (this.k === this.size) throw new RangeError(`seating: all ${this.size} elements are already seen`);
  }
}

export const finiteDirichletPrior = defineStage({
  kind: 'prior',
  type: 'finite-dirichlet',
  description: 'finite symmetric Dirichlet over M elements: at most M distinct elements, all eventually seen',
  config: z.object({
    elements: z.number().int().min(1, 'needs at least one element').default(1000).describe('number of elements M'),
    concentration: z.number().positive('concentration c must be positive').default(1).describe('Dirichlet parameter c per element (small c: few dominant elements)'),
  }),
  create: ({ elements, concentration }) => new FiniteDirichletPrior(elements, concentration),
});
