import type { Prior, Rng, Seating } from '@kolmo/core';
import type { KnowledgeDraws } from './knowledge-draws.ts';

/**
 * Draws from the prior's Chinese restaurant directly, for a prior without true weights. The source that made
 * the data is then the marginal itself, so a draw's true code length is −log2 of its predictive probability
 * (and the element's content costs −log2 G0 on top, which the generator adds). There is no true weight.
 */
export class MarginalDraws implements KnowledgeDraws {
  readonly description: string;
  readonly hasTrueWeights = false;
  lastWasNew = false;
  lastLog2Probability = 0;
  readonly seating: Seating;

  constructor(prior: Prior) {
    this.seating = prior.seating();
    this.description = `${prior.name}: marginal (Chinese-restaurant) draws, no true weights`;
  }

  get elements(): number {
    return this.seating.distinct;
  }

  get draws(): number {
    return this.seating.draws;
  }

  draw(rng: Rng): number {
    const seating = this.seating;
    const element = seating.sample(rng);
    this.lastWasNew = element === seating.distinct;
    const p = this.lastWasNew ? seating.probabilityNew() : seating.probabilityExisting(element);
    this.lastLog2Probability = Math.log2(p);
    seating.add(element);
    return element;
  }

  count(element: number): number {
    return this.seating.count(element);
  }

  weight(): number {
    return NaN;
  }
}
