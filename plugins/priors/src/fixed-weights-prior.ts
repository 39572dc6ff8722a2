import { KahanSum, type Prior, type Rng, type Seating, type TrueWeights } from '@kolmo/core';
import { ensureInt32 } from './growable.ts';

/**
 * Fixed, known weights π_1 ≥ π_2 ≥ … ≥ π_M over M atoms (Zipf–Mandelbrot, uniform): the data are i.i.d. draws
 * from π, so E[K_n] = Σ_k 1 − (1 − π_k)^n and the true weights are π itself (no truncation).
 *
 * The seating is labelled: each element is the atom it was drawn as, so its predictive probability is that
 * atom's weight and a new element has the mass of the atoms not seen yet. An element added without a preceding
 * `sample` (a predictor replaying data, where the atom is not observed) takes the heaviest atom not used yet.
 * For uniform weights that is exact. For unequal weights it is a plug-in: the exact predictive of the unlabelled
 * partition sums over all assignments of atoms to elements (a permanent), which has no tractable form. The
 * log-marginal is the one of that same replay, Σ_k [log(mass left at k's arrival) + (m_k − 1) log π_(k)], so the
 * sequential code and the closed form agree exactly, and it is a proper distribution over partitions.
 */
export class FixedWeightsPrior implements Prior {
  readonly name: string;
  /** The weights in decreasing order. */
  readonly weights: Float64Array;
  /** tail[k] = Σ_{j ≥ k} π_j (suffix sums, so small masses keep their digits). */
  private readonly tail: Float64Array;
  private readonly alias: { threshold: Float64Array; alias: Int32Array };

  constructor(name: string, weights: Float64Array) {
    const sorted = Float64Array.from(weights).sort().reverse();
    let total = 0;
    for (const w of sorted) {
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`${name}: weights must be finite and non-negative`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError(`${name}: weights sum to zero`);
    for (let i = 0; i < sorted.length; i++) sorted[i] /= total;
    this.name = name;
    this.weights = sorted;
    this.tail = new Float64Array(sorted.length + 1);
    const sum = new KahanSum();
    for (let k = sorted.length - 1; k >= 0; k--) {
      sum.add(sorted[k]);
      this.tail[k] = sum.value;
    }
    this.alias = buildAlias(sorted);
  }

  seating(): Seating {
    return new LabelledSeating(this.weights, this.alias);
  }

  logMarginal(blockSizes: ArrayLike<number>): number {
    const k = blockSizes.length;
    if (k > this.weights.length) return -Infinity;
    const sum = new KahanSum();
    for (let i = 0; i < k; i++) {
      sum.add(Math.log(this.tail[i]));
      if (blockSizes[i] > 1) sum.add((blockSizes[i] - 1) * Math.log(this.weights[i]));
    }
    return sum.value;
  }

  expectedDistinct(n: number): number {
    const sum = new KahanSum();
    for (const p of this.weights) sum.add(p >= 1 ? 1 : -Math.expm1(n * Math.log1p(-p)));
    return sum.value;
  }

  trueWeights(_rng: Rng, options: { maxAtoms: number; tolerance: number }): TrueWeights {
    const atoms = Math.min(this.weights.length, options.maxAtoms);
    return { weights: this.weights.slice(0, atoms), truncationMass: atoms < this.weights.length ? this.tail[atoms] : 0 };
  }
}

/** Walker alias table (Vose) over the atoms, for O(1) i.i.d. draws. */
function buildAlias(weights: Float64Array): { threshold: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const threshold = new Float64Array(n).fill(1);
  const alias = Int32Array.from({ length: n }, (_, i) => i);
  const scaled = Float64Array.from(weights, (w) => w * n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((s, i) => (s < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    threshold[s] = scaled[s];
    alias[s] = l;
    scaled[l] += scaled[s] - 1;
    if (scaled[l] < 1) small.push(large.pop()!);
  }
  return { threshold, alias };
}

class LabelledSeating implements Seating {
  private readonly weights: Float64Array;
  private readonly table: { threshold: Float64Array; alias: Int32Array };
  private readonly atomElement: Int32Array;
  private elementAtom = new Int32Array(16);
  private counts = new Int32Array(16);
  private readonly seenMass = new KahanSum();
  private pendingAtom = -1;
  private nextUnused = 0;
  private n = 0;
  private k = 0;

  constructor(weights: Float64Array, table: { threshold: Float64Array; alias: Int32Array }) {
    this.weights = weights;
    this.table = table;
    this.atomElement = new Int32Array(weights.length).fill(-1);
  }

  get draws(): number {
    return this.n;
  }

  get distinct(): number {
    return this.k;
  }

  count(element: number): number {
    return element < this.k ? this.counts[element] : 0;
  }

  probabilityExisting(element: number): number {
    return element < this.k ? this.weights[this.elementAtom[element]] : 0;
  }

  probabilityNew(): number {
    return Math.max(0, 1 - this.seenMass.value);
  }

  sample(rng: Rng): number {
    const size = this.weights.length;
    const i = rng.nextInt(size);
    const atom = rng.nextFloat() < this.table.threshold[i] ? i : this.table.alias[i];
    const element = this.atomElement[atom];
    if (element >= 0) return element;
    this.pendingAtom = atom;
    return this.k;
  }

  add(element: number): void {
    if (element === this.k) {
      let atom = this.pendingAtom;
      if (atom < 0 || this.atomElement[atom] >= 0) {
        while (this.nextUnused < this.weights.length && this.atomElement[this.nextUnused] >= 0) this.nextUnused++;
        if (this.nextUnused === this.weights.length) throw new RangeError(`seating: all ${this.weights.length} atoms are already seen`);
        atom = this.nextUnused;
      }
      this.atomElement[atom] = element;
      this.elementAtom = ensureInt32(this.elementAtom, element + 1);
      this.counts = ensureInt32(this.counts, element + 1);
      this.elementAtom[element] = atom;
      this.seenMass.add(this.weights[atom]);
      this.k++;
    } else if (!(element >= 0 && element < this.k)) {
      throw new RangeError(`seating: element ${element} is neither existing nor the next new one (${this.k})`);
    }
    this.pendingAtom = -1;
    this.counts[element]++;
    this.n++;
  }
}
