import type { Rng } from '../random/rng.ts';

/**
 * A prior over partitions (the knowledge model's exchangeable part, theory §2): the same object serves the
 * generator (sampling) and the Bayes-optimal predictor (predictive, log-marginal), so a new prior plugin
 * serves both at once.
 */
export interface Prior {
  readonly name: string;
  /** Creates an empty seating state. */
  seating(): Seating;
  /** log P(partition with these block sizes), in nats, excluding the base measure G0. */
  logMarginal(blockSizes: ArrayLike<number>): number;
  /** Expected number of distinct elements after n draws, where a closed form exists. */
  expectedDistinct?(n: number): number;
  /** The true weights of the first atoms (stick-breaking); `truncationMass` is the mass left beyond them. */
  trueWeights?(rng: Rng, options: { maxAtoms: number; tolerance: number }): TrueWeights;
  /**
   * Draws the stick fraction V_k of atom k (1-based) given atoms 1..k−1 (Pitman–Yor: Beta(1−α, β+kα)), so a
   * generator can continue the stick past `trueWeights`' truncation exactly: the atoms beyond a truncation,
   * taken in the order a sample first hits them, are again stick-broken with these fractions.
   */
  stickFraction?(rng: Rng, k: number): number;
  /**
   * The Pitman–Yor parameters when the prior is one (theory §2): discount α ∈ [0, 1) and concentration β > −α;
   * the Dirichlet process is α = 0. Predictors whose rule is the Pitman–Yor predictive (memory-bounded) read
   * them here, never from the prior's name or shape.
   */
  readonly pitmanYor?: PitmanYorParameters;
}

/** Pitman–Yor(α, β): P(new) = (β + α K)/(n + β), P(existing k) = (n_k − α)/(n + β). */
export interface PitmanYorParameters {
  readonly discount: number;
  readonly concentration: number;
}

export interface TrueWeights {
  readonly weights: Float64Array;
  readonly truncationMass: number;
}

/** The sequential state of a partition: counts per element, the predictive rule, and sampling. */
export interface Seating {
  readonly draws: number;
  readonly distinct: number;
  count(element: number): number;
  /** Predictive probability that the next draw joins `element` (an existing one). */
  probabilityExisting(element: number): number;
  /** Predictive probability that the next draw opens a new element. */
  probabilityNew(): number;
  /** Samples the next draw's element: an existing id, or `distinct` (the next id) for a new one. */
  sample(rng: Rng): number;
  /** Records a draw of `element` (existing id, or `distinct` for a new one). */
  add(element: number): void;
}
