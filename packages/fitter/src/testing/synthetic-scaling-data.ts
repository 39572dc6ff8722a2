import { type Rng, sampleNormal } from '@kolmo/core';

/** Test data: evenly spaced points in log10 x over [from, to] decades. */
export function logSpaced(fromDecade: number, toDecade: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => 10 ** (fromDecade + ((toDecade - fromDecade) * i) / (count - 1)));
}

/** Multiplies each value by exp(σ·Z), Z standard normal: the log-normal noise of measured losses. */
export function withLogNormalNoise(values: readonly number[], sigma: number, rng: Rng): number[] {
  return values.map((value) => value * Math.exp(sigma * sampleNormal(rng)));
}

/** A Chinchilla-like joint data set: N and D each over three decades on a full grid. */
export function chinchillaLikeData(rng: Rng, sigma: number, perAxis = 8) {
  const truth = { E: 1.8, A: 480, B: 2100, alpha: 0.35, beta: 0.37 };
  const n: number[] = [];
  const d: number[] = [];
  for (const ni of logSpaced(7, 10, perAxis)) for (const di of logSpaced(9, 12, perAxis)) {
    n.push(ni);
    d.push(di);
  }
  const clean = n.map((ni, i) => truth.E + truth.A * ni ** -truth.alpha + truth.B * d[i] ** -truth.beta);
  return { truth, n, d, y: withLogNormalNoise(clean, sigma, rng) };
}
