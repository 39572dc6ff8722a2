import { defineStage } from '@kolmo/core';
import { z } from 'zod';
import { FixedWeightsPrior } from './fixed-weights-prior.ts';

/**
 * Uniform weights 1/M: E[K_n] = M(1 − (1 − 1/M)^n), partition probability M!/(M − K)! / M^n (exact: with equal
 * weights the labelled seating is the exact predictive).
 */
export class UniformPrior extends FixedWeightsPrior {
  readonly elements: number;

  constructor(elements: number) {
    if (!(Number.isInteger(elements) && elements >= 1)) throw new RangeError(`uniform prior needs M ≥ 1 elements, got ${elements}`);
    super(`uniform(M=${elements})`, new Float64Array(elements).fill(1 / elements));
    this.elements = elements;
  }
}

export const uniformPrior = defineStage({
  kind: 'prior',
  type: 'uniform',
  description: 'uniform weights over M elements (no Zipf tail: the control case)',
  config: z.object({
    elements: z.number().int().min(1, 'needs at least one element').max(2 ** 26).default(1000).describe('number of elements M'),
  }),
  create: ({ elements }) => new UniformPrior(elements),
});
