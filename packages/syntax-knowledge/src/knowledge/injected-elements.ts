import { KolmoError, type Rng } from '@kolmo/core';
import type { TrueMeasure } from './true-measure-draws.ts';

/** K designated new individuals that together take a share f of the documents. */
export interface InjectionGroup {
  /** K: designated individuals of the group. */
  readonly elements: number;
  /** f: the probability that a document is about one of them (each then has true frequency f/K). */
  readonly rate: number;
}

/**
 * Designated new individuals mixed into a source's draws (theory §5 (b): new knowledge injected at a chosen
 * frequency). With probability f_g a document is about one of the K_g individuals of group g, chosen uniformly;
 * otherwise (probability 1 − Σ f_g) it is drawn from G as before. The source is then the mixture
 *   G' = (1 − Σ_g f_g) G + Σ_g (f_g/K_g) Σ_{j<K_g} δ_{κ_gj},
 * so a designated individual has true weight f_g/K_g and an atom k of G has (1 − Σ f) π_k: the oracle's
 * knowledge bits are −log2(f_g/K_g) and −log2((1 − Σf) π_k). A designated individual gets its element id (and
 * its G0 content) when first drawn, from the same counter as G's atoms, so ids still count up in order of first
 * appearance and each is new to everything before.
 */
export class InjectedElements {
  readonly groups: readonly InjectionGroup[];
  /** Σ_g f_g. */
  readonly rate: number;
  /** 1 − Σ_g f_g: the factor on G's weights. */
  readonly remaining: number;
  /** Σ_g K_g: designated individuals in all. */
  readonly individuals: number;
  /** f_g / K_g: the true weight of each individual of group g. */
  readonly weights: Float64Array;
  private readonly cumulativeRates: Float64Array;
  /** Per group, the element id of each designated individual (−1 until first drawn). */
  private readonly slots: Int32Array[];
  /** Element id → group, for the individuals drawn so far. */
  private readonly groupOfElement = new Map<number, number>();
  private scaledHead: Float64Array | undefined;
  private scaledHeadOf: Float64Array | undefined;

  /** Throws KolmoError('invalidSpec') naming `path` for rates that sum above 1. */
  constructor(groups: readonly InjectionGroup[], path = 'inject') {
    if (groups.length === 0) throw new KolmoError('invalidSpec', `${path}: needs at least one group of injected individuals`);
    groups.forEach(({ elements, rate }, g) => {
      if (!(Number.isInteger(elements) && elements >= 1)) throw new KolmoError('invalidSpec', `${path}[${g}].elements: must be a positive integer, got ${elements}`);
      if (!(rate > 0 && rate <= 1)) throw new KolmoError('invalidSpec', `${path}[${g}].rate: must be in (0, 1], got ${rate}`);
    });
    this.groups = groups.map(({ elements, rate }) => ({ elements, rate }));
    this.cumulativeRates = new Float64Array(groups.length);
    let rate = 0;
    groups.forEach((group, g) => (this.cumulativeRates[g] = rate += group.rate));
    // Rates that sum to 1 in decimal may round a few ulps above it.
    if (rate > 1 + 1e-12) throw new KolmoError('invalidSpec', `${path}: the rates sum to ${rate}; a document is about an injected individual with probability Σ rate, which must be at most 1`);
    this.rate = Math.min(rate, 1);
    this.remaining = 1 - this.rate;
    this.individuals = groups.reduce((n, group) => n + group.elements, 0);
    this.weights = Float64Array.from(groups, (group) => group.rate / group.elements);
    this.slots = groups.map((group) => new Int32Array(group.elements).fill(-1));
  }

  /** The group the next document is about (one uniform draw), or −1 for a draw from G. */
  chooseGroup(rng: Rng): number {
    const u = rng.nextFloat();
    const cumulative = this.cumulativeRates;
    for (let g = 0; g < cumulative.length; g++) if (u < cumulative[g]) return g;
    return -1;
  }

  /** Which individual of group g (uniform over its K). */
  chooseSlot(group: number, rng: Rng): number {
    return rng.nextInt(this.groups[group].elements);
  }

  /** The element id of a designated individual, or −1 if it has not been drawn yet. */
  elementOf(group: number, slot: number): number {
    return this.slots[group][slot];
  }

  /** Records the element id a designated individual got when first drawn. */
  assign(group: number, slot: number, element: number): void {
    this.slots[group][slot] = element;
    this.groupOfElement.set(element, group);
  }

  /** The group of an element, or −1 for an element of G. */
  groupOf(element: number): number {
    return this.groupOfElement.get(element) ?? -1;
  }

  /** Designated individuals drawn so far. */
  get drawn(): number {
    return this.groupOfElement.size;
  }

  /** The element's weight under the mixture, given its weight π under G (unused for a designated one). */
  weightOf(element: number, weightInG: number): number {
    const group = this.groupOf(element);
    return group >= 0 ? this.weights[group] : this.remaining * weightInG;
  }

  /**
   * The mixture as a TrueMeasure: G's atoms scaled by 1 − Σf (the head's copy made once), then every designated
   * individual appended to the tail with weight f_g/K_g (element −1 while not drawn yet). So the entropy and any
   * expectation over it are those of the source now generating documents.
   */
  mix(measure: TrueMeasure): TrueMeasure {
    const r = this.remaining;
    if (this.scaledHeadOf !== measure.head) {
      this.scaledHead = measure.head.map((w) => r * w);
      this.scaledHeadOf = measure.head;
    }
    const tailSize = measure.tail.length;
    const tail = new Float64Array(tailSize + this.individuals);
    const tailElement = new Int32Array(tailSize + this.individuals);
    for (let j = 0; j < tailSize; j++) tail[j] = r * measure.tail[j];
    tailElement.set(measure.tailElement);
    let j = tailSize;
    this.slots.forEach((slots, g) => {
      tail.fill(this.weights[g], j, j + slots.length);
      tailElement.set(slots, j);
      j += slots.length;
    });
    return {
      head: this.scaledHead!,
      headElement: measure.headElement,
      tail,
      tailElement,
      truncationMass: r * measure.truncationMass,
      undiscoveredMass: r * measure.undiscoveredMass,
    };
  }
}
