import { KolmoError, type Prior, type Rng } from '@kolmo/core';
import { AliasTable } from '../sampling/alias-table.ts';
import { ensureFloat64, ensureInt32 } from '../sampling/growable.ts';
import { GrowingFenwick } from '../sampling/growing-fenwick.ts';
import type { KnowledgeDraws } from './knowledge-draws.ts';

/** A snapshot of the true measure G as far as it is instantiated. */
export interface TrueMeasure {
  /** Weights of the first atoms, in the prior's order (stick-breaking order): drawn before the corpus. */
  readonly head: Float64Array;
  /** Element id of each head atom, or −1 for an atom not drawn yet. */
  readonly headElement: Int32Array;
  /**
   * Weights of the atoms discovered past the head, in order of discovery (= elements `tailElement[j]`). While a
   * source injects designated individuals (theory §5 (b)), its `trueMeasure()` is the mixture: these weights
   * scaled by 1 − Σf, then the designated individuals (element −1 for one not drawn yet).
   */
  readonly tail: Float64Array;
  readonly tailElement: Int32Array;
  /** The mass beyond the head (prior's truncation mass), and the part of it not discovered yet. */
  readonly truncationMass: number;
  readonly undiscoveredMass: number;
}

/**
 * Draws i.i.d. from the true random measure G = Σ π_k δ_{κ_k}, so every draw's true code length is −log2 π_k.
 *
 * The head (the prior's `trueWeights` up to `maxAtoms` / `tolerance`) is drawn before the corpus and sampled
 * with an alias table. The mass R beyond it is handled exactly and lazily: a draw that lands there either hits
 * a tail atom discovered earlier (Fenwick tree by weight) or discovers a new one, whose weight is R_left · V with
 * V the prior's next stick fraction. This is exact because the atoms beyond a truncation, in the order a sample
 * first hits them (size-biased order), are again stick-broken with the same fractions (GEM invariance under
 * size-biased permutation) — so no truncation error enters the data, whatever α is.
 *
 * The resulting element sequence has exactly the law of the prior's Chinese restaurant (the marginal of G).
 */
export class TrueMeasureDraws implements KnowledgeDraws {
  readonly description: string;
  readonly hasTrueWeights = true;
  readonly head: Float64Array;
  readonly truncationMass: number;
  lastWasNew = false;
  lastLog2Probability = 0;
  private readonly prior: Prior;
  private readonly rng: Rng;
  private readonly alias: AliasTable;
  private readonly headElement: Int32Array;
  private readonly tail = new GrowingFenwick();
  private tailWeights = new Float64Array(16);
  private tailElements = new Int32Array(16);
  private undiscovered: number;
  private elementAtom = new Int32Array(16);
  private counts = new Int32Array(16);
  private k = 0;
  private n = 0;

  /** `weightsRng` draws the head now and the tail sticks later; draws use the rng passed to `draw`. */
  constructor(prior: Prior, weightsRng: Rng, options: { maxAtoms: number; tolerance: number }) {
    if (!prior.trueWeights) throw new RangeError(`prior ${prior.name} has no true weights`);
    const { weights, truncationMass } = prior.trueWeights(weightsRng, options);
    if (truncationMass > 0 && !prior.stickFraction) {
      throw new KolmoError(
        'invalidSpec',
        `prior ${prior.name} leaves mass ${truncationMass} beyond ${weights.length} atoms and cannot continue its stick; raise truncation.maxAtoms`,
      );
    }
    this.prior = prior;
    this.rng = weightsRng;
    this.head = weights;
    this.truncationMass = Math.max(0, truncationMass);
    this.undiscovered = this.truncationMass;
    this.headElement = new Int32Array(weights.length).fill(-1);
    const aliasWeights = new Float64Array(weights.length + (this.truncationMass > 0 ? 1 : 0));
    aliasWeights.set(weights);
    if (this.truncationMass > 0) aliasWeights[weights.length] = this.truncationMass;
    this.alias = new AliasTable(aliasWeights);
    this.description = `${prior.name}: ${weights.length} atoms drawn up front, mass ${this.truncationMass.toExponential(3)} beyond them drawn lazily`;
  }

  get elements(): number {
    return this.k;
  }

  get draws(): number {
    return this.n;
  }

  draw(rng: Rng): number {
    const headSize = this.head.length;
    const atom = this.alias.sample(rng);
    let element: number;
    let weight: number;
    if (atom < headSize) {
      weight = this.head[atom];
      element = this.headElement[atom];
      if (element < 0) element = this.headElement[atom] = this.open(atom);
      else this.lastWasNew = false;
    } else {
      // Within the mass beyond the head: a discovered tail atom, or the next one.
      const mass = rng.nextFloat() * this.truncationMass;
      if (mass < this.tail.total) {
        const j = this.tail.find(mass);
        weight = this.tailWeights[j];
        element = this.tailElements[j];
        this.lastWasNew = false;
      } else {
        const j = this.tail.size;
        const v = this.prior.stickFraction!(this.rng, headSize + j + 1);
        weight = this.undiscovered * v;
        this.undiscovered *= 1 - v;
        this.tail.push(weight);
        this.tailWeights = ensureFloat64(this.tailWeights, j + 1);
        this.tailElements = ensureInt32(this.tailElements, j + 1);
        this.tailWeights[j] = weight;
        element = this.tailElements[j] = this.open(headSize + j);
      }
    }
    this.counts[element]++;
    this.n++;
    this.lastLog2Probability = Math.log2(weight);
    return element;
  }

  /**
   * Records a draw that does not come from G: an individual injected beside it by a mixture (theory §5 (b),
   * `InjectedElements`), given its element id, or −1 to open a new one. A new one takes the next id, like a
   * new atom of G, but has no atom (its weight here is NaN; the mixture knows it). `log2Probability` is the
   * probability the generating source gave the draw.
   */
  drawOutside(element: number, log2Probability: number): number {
    if (element < 0) element = this.open(-1);
    else this.lastWasNew = false;
    this.counts[element]++;
    this.n++;
    this.lastLog2Probability = log2Probability;
    return element;
  }

  count(element: number): number {
    return element < this.k ? this.counts[element] : 0;
  }

  weight(element: number): number {
    if (!(element >= 0 && element < this.k)) return NaN;
    const atom = this.elementAtom[element];
    if (atom < 0) return NaN; // drawn outside G (drawOutside)
    return atom < this.head.length ? this.head[atom] : this.tailWeights[atom - this.head.length];
  }

  /** The atom of an element: < head.length for a head atom, else head.length + its index in the tail; −1 if drawn outside G. */
  atomOf(element: number): number {
    return this.elementAtom[element];
  }

  measure(): TrueMeasure {
    const tailSize = this.tail.size;
    return {
      head: this.head,
      headElement: this.headElement,
      tail: this.tailWeights.slice(0, tailSize),
      tailElement: this.tailElements.slice(0, tailSize),
      truncationMass: this.truncationMass,
      undiscoveredMass: this.undiscovered,
    };
  }

  private open(atom: number): number {
    const element = this.k++;
    this.elementAtom = ensureInt32(this.elementAtom, this.k);
    this.counts = ensureInt32(this.counts, this.k);
    this.elementAtom[element] = atom;
    this.lastWasNew = true;
    return element;
  }
}
