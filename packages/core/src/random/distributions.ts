import type { Rng } from './rng.ts';

/** Standard normal by the polar Box–Muller method. */
export function sampleNormal(rng: Rng): number {
  for (;;) {
    const u = 2 * rng.nextFloat() - 1;
    const v = 2 * rng.nextFloat() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Gamma(shape, 1) by Marsaglia–Tsang, with the shape < 1 boost. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be positive, got ${shape}`);
  if (shape < 1) {
    const u = rng.nextOpenFloat();
    return sampleGamma(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpenFloat();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as a ratio of gammas. */
export function sampleBeta(rng: Rng, a: number, b: number): number {
  const x = sampleGamma(rng, a);
  const y = sampleGamma(rng, b);
  return x / (x + y);
}

/** A draw from Dirichlet(alpha) into `out`. */
export function sampleDirichlet(rng: Rng, alpha: ArrayLike<number>, out = new Float64Array(alpha.length)): Float64Array {
  let sum = 0;
  for (let i = 0; i < alpha.length; i++) sum += out[i] = sampleGamma(rng, alpha[i]);
  for (let i = 0; i < alpha.length; i++) out[i] /= sum;
  return out;
}

/** Index drawn with probability proportional to `weights` (linear scan; use an alias table for hot loops). */
export function sampleCategorical(rng: Rng, weights: ArrayLike<number>, total?: number): number {
  let sum = total ?? 0;
  if (total === undefined) for (let i = 0; i < weights.length; i++) sum += weights[i];
  let u = rng.nextFloat() * sum;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}
