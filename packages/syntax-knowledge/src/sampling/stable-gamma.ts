import { sampleGamma, type Rng } from '@kolmo/core';

/**
 * log of a Gamma(shape, 1) draw, safe for tiny shapes: Gamma(a) = Gamma(a+1) · U^{1/a} is taken in logs,
 * so a shape of 0.01 never underflows to an exact zero (which would give an atom of weight 0).
 */
export function sampleLogGamma(rng: Rng, shape: number): number {
  if (shape < 1) return Math.log(sampleGamma(rng, shape + 1)) + Math.log(rng.nextOpenFloat()) / shape;
  return Math.log(sampleGamma(rng, shape));
}

/** Beta(a, b) as X/(X+Y) from log-gammas, without underflow for small a or b. */
export function sampleStableBeta(rng: Rng, a: number, b: number): number {
  const x = sampleLogGamma(rng, a);
  const y = sampleLogGamma(rng, b);
  return 1 / (1 + Math.exp(y - x));
}

/** Symmetric Dirichlet(a, …, a) over `size` categories from log-gammas (no all-zero draw for small a). */
export function sampleStableDirichlet(rng: Rng, a: number, size: number): Float64Array {
  const out = new Float64Array(size);
  let max = -Infinity;
  for (let i = 0; i < size; i++) {
    out[i] = sampleLogGamma(rng, a);
    if (out[i] > max) max = out[i];
  }
  let sum = 0;
  for (let i = 0; i < size; i++) sum += out[i] = Math.exp(out[i] - max);
  for (let i = 0; i < size; i++) out[i] /= sum;
  return out;
}
