import type { Rng } from '@kolmo/core';

/**
 * The parametric syntax part of the SK model (theory §2): a family P_φ with `freeParameters` = d and a prior
 * π(φ). Richer models (a PCFG, an n-gram filler) plug in behind the same two interfaces; what the theory
 * needs is a finite d. A syntax choice is a template index per attribute.
 */
export interface SyntaxModel {
  readonly description: string;
  /** Attributes (relations) the model covers. */
  readonly attributes: number;
  /** Templates to choose from, per attribute. */
  templates(attribute: number): number;
  /** d: free parameters over all attributes together. */
  readonly freeParameters: number;
  /** Draws the true parameters φ from the prior. */
  drawParameters(rng: Rng): TrueSyntax;
}

/** The true syntax source P_φ: what the generator samples from and what the oracle codes with. */
export interface TrueSyntax {
  sampleTemplate(attribute: number, rng: Rng): number;
  /** log2 P_φ(template | attribute). */
  log2Probability(attribute: number, template: number): number;
  /** P_φ(· | attribute) as a probability vector. */
  probabilities(attribute: number): Float64Array;
}
