import { sampleGamma, type Rng } from '@kolmo/core';

/** log of a Gamma(shape) draw, safe for tiny shapes (Gamma(a) = Gamma(a+1)·U^{1/a}, in logs). */
export function sampleLogGamma(rng: Rng, shape: number): number {
  if (shape < 1) return Math.log(sampleGamma(rng, shape + 1)) + Math.log(rng.nextOpenFloat()) / shape;
  return Math.log(sampleGamma(rng, shape));
}

/** Beta(a, b) from log-gammas: no exact 0 or 1 from underflow for small a or b. */
export function sampleStableBeta(rng: Rng, a: number, b: number): number {
  return 1 / (1 + Math.exp(sampleLogGamma(rng, b) - sampleLogGamma(rng, a)));
}
