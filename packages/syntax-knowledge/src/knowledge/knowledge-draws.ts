import type { Rng } from '@kolmo/core';

/**
 * The sequence of knowledge elements of a corpus, κ_0, κ_1, …: element ids count up in order of first draw.
 * After each `draw`, `lastLog2Probability` is log2 of the probability the generating source gave that draw
 * (so its negation is the draw's true code length) and `lastWasNew` says whether it opened a new element.
 */
export interface KnowledgeDraws {
  readonly description: string;
  /** Distinct elements drawn so far. */
  readonly elements: number;
  /** Draws so far. */
  readonly draws: number;
  readonly lastWasNew: boolean;
  readonly lastLog2Probability: number;
  /** Whether the draws come from an instantiated random measure G (true weights) or from the prior's marginal. */
  readonly hasTrueWeights: boolean;
  draw(rng: Rng): number;
  /** Times element k was drawn. */
  count(element: number): number;
  /** The element's true weight π under G, or NaN where the source has no true weights. */
  weight(element: number): number;
}
