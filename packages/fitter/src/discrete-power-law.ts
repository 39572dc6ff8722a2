import type { Rng } from '@kolmo/core';
import { minimizeBrent } from './brent-minimize.ts';
import { hurwitzZeta } from './hurwitz-zeta.ts';

/**
 * The discrete power law P(x) = x^(−alpha) / ζ(alpha, x_min), x ≥ x_min, fitted as Clauset, Shalizi & Newman
 * (2009) prescribe: alpha by maximum likelihood with the Hurwitz zeta normaliser, x_min by the minimum
 * Kolmogorov–Smirnov distance between the tail and its fitted law, and a semi-parametric bootstrap p-value.
 * Never least squares on a log-log histogram.
 */
export interface DiscretePowerLawOptions {
  /** A known x_min: skips the scan. */
  readonly xmin?: number;
  /** Smallest tail (points ≥ x_min) a candidate x_min may leave (default 10). */
  readonly minTailSize?: number;
  /** Search range of alpha (default [1.0001, 10]). */
  readonly alphaRange?: readonly [number, number];
}

export interface DiscretePowerLawFit {
  readonly alpha: number;
  readonly xmin: number;
  /** Points ≥ x_min, and all points. */
  readonly tailSize: number;
  readonly n: number;
  /** KS distance between the tail's empirical CDF and the fitted law. */
  readonly ks: number;
  readonly logLikelihood: number;
  /** 1/√(observed information) of alpha. */
  readonly alphaStandardError: number;
  readonly warnings: readonly string[];
}

/** The data sorted into distinct values with counts, and suffix sums for every candidate tail. */
interface Tabulated {
  readonly values: Float64Array;
  readonly counts: Float64Array;
  /** Points with value ≥ values[j], and Σ log x over them. */
  readonly tailCount: Float64Array;
  readonly tailLogSum: Float64Array;
  readonly n: number;
}

export function fitDiscretePowerLaw(data: ArrayLike<number>, options: DiscretePowerLawOptions = {}): DiscretePowerLawFit {
  const table = tabulate(data);
  const minTail = options.minTailSize ?? 10;
  const alphaRange = options.alphaRange ?? [1.0001, 10];
  const candidates: number[] = [];
  if (options.xmin !== undefined) {
    const j = table.values.findIndex((v) => v >= options.xmin!);
    if (j < 0) throw new RangeError(`no data at or above xmin = ${options.xmin}`);
    candidates.push(j);
  } else {
    for (let j = 0; j < table.values.length; j++) if (table.tailCount[j] >= Math.min(minTail, table.n)) candidates.push(j);
    if (candidates.length === 0) throw new RangeError('too few points to fit a power-law tail');
  }
  let best: { j: number; alpha: number; logLikelihood: number; ks: number } | undefined;
  for (const j of candidates) {
    const { alpha, logLikelihood } = maximumLikelihoodAlpha(table, j, alphaRange);
    const ks = ksDistance(table, j, alpha, options.xmin ?? table.values[j]);
    if (!best || ks < best.ks) best = { j, alpha, logLikelihood, ks };
  }
  const { j, alpha, logLikelihood, ks } = best!;
  const xmin = options.xmin ?? table.values[j];
  const tailSize = table.tailCount[j];
  const warnings: string[] = [];
  if (alpha <= alphaRange[0] + 1e-6 || alpha >= alphaRange[1] - 1e-6) warnings.push(`alpha = ${alpha} sits on the edge of its range [${alphaRange[0]}, ${alphaRange[1]}]`);
  if (tailSize < 50) warnings.push(`only ${tailSize} points in the tail: alpha and the goodness of fit are rough`);
  return { alpha, xmin, tailSize, n: table.n, ks, logLikelihood, alphaStandardError: alphaStandardError(alpha, xmin, tailSize), warnings };
}

/** log L(alpha) = −n_tail log ζ(alpha, x_min) − alpha Σ_tail log x. */
export function discretePowerLawLogLikelihood(alpha: number, xmin: number, tailSize: number, tailLogSum: number): number {
  return -tailSize * Math.log(hurwitzZeta(alpha, xmin)) - alpha * tailLogSum;
}

export interface GoodnessOfFitTest {
  /** Fraction of synthetic data sets whose refitted KS distance is at least the observed one. */
  readonly pValue: number;
  readonly resamples: number;
  readonly ks: number;
}

/**
 * CSN §4.1: synthetic data sets of the same size — each point drawn from the fitted power law with probability
 * n_tail/n, else uniformly from the observed values below x_min — are refitted by the full procedure (x_min
 * scan included, unless the fit was given one), and p is the fraction whose KS distance is ≥ the observed.
 * p ≤ 0.1 rules the power law out. Default 1000 resamples (p to about ±0.015).
 */
export function discretePowerLawGoodnessOfFit(
  data: ArrayLike<number>,
  fit: DiscretePowerLawFit,
  options: DiscretePowerLawOptions & { rng: Rng; resamples?: number },
): GoodnessOfFitTest {
  const resamples = options.resamples ?? 1000;
  const below = Array.from(data).filter((x) => x < fit.xmin);
  const sampler = discretePowerLawSampler(fit.alpha, fit.xmin);
  const synthetic = new Float64Array(fit.n);
  let atLeast = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < fit.n; i++) {
      const fromTail = below.length === 0 || options.rng.nextFloat() * fit.n < fit.tailSize;
      synthetic[i] = fromTail ? sampler(options.rng) : below[options.rng.nextInt(below.length)];
    }
    const refit = fitDiscretePowerLaw(synthetic, options);
    if (refit.ks >= fit.ks) atLeast++;
  }
  return { pValue: atLeast / resamples, resamples, ks: fit.ks };
}

/**
 * Exact draws from the discrete power law by inversion: X = x when CCDF(x + 1) < u ≤ CCDF(x), u ~ U(0, 1],
 * CCDF(x) = ζ(alpha, x)/ζ(alpha, x_min). A table of the CCDF serves the body by binary search; deep in the
 * tail the continuous approximation (CSN eq. D.6) gives a start that is corrected to the exact x.
 */
export function discretePowerLawSampler(alpha: number, xmin: number): (rng: Rng) => number {
  if (!(alpha > 1)) throw new RangeError(`alpha must exceed 1, got ${alpha}`);
  if (!(Number.isInteger(xmin) && xmin >= 1)) throw new RangeError(`xmin must be a positive integer, got ${xmin}`);
  const normaliser = hurwitzZeta(alpha, xmin);
  const ccdf = (x: number) => hurwitzZeta(alpha, x) / normaliser;
  // table[k] = CCDF(xmin + k), strictly decreasing from 1.
  const table: number[] = [1];
  let tail = normaliser;
  while (table.length < 65536 && table[table.length - 1] > 1e-4) {
    const x = xmin + table.length - 1;
    tail -= x ** -alpha;
    table.push(tail / normaliser);
  }
  const last = table.length - 1;
  // Re-anchor the end of the table on a direct evaluation (the running subtraction loses relative accuracy).
  table[last] = ccdf(xmin + last);
  return (rng) => {
    const u = 1 - rng.nextFloat(); // (0, 1]
    if (u > table[last]) {
      // Largest k with table[k] ≥ u.
      let low = 0;
      let high = last;
      while (high - low > 1) {
        const middle = (low + high) >>> 1;
        if (table[middle] >= u) low = middle;
        else high = middle;
      }
      return xmin + low;
    }
    // The continuous approximation is close but not exact: bracket the answer around it, then bisect.
    const start = Math.max(xmin + last, Math.floor((xmin - 0.5) * u ** (-1 / (alpha - 1)) + 0.5));
    if (!(start < 2 ** 52)) return start;
    let low = start; // invariant: ccdf(low) ≥ u
    for (let step = 1; ccdf(low) < u; step *= 2) low = Math.max(xmin + last, low - step);
    let high = start + 1; // invariant: ccdf(high) < u
    for (let step = 1; ccdf(high) >= u; step *= 2) high += step;
    while (high - low > 1) {
      const middle = Math.floor((low + high) / 2);
      if (ccdf(middle) >= u) low = middle;
      else high = middle;
    }
    return low;
  };
}

function tabulate(data: ArrayLike<number>): Tabulated {
  const sorted = Float64Array.from(data as ArrayLike<number>).sort();
  if (sorted.length === 0) throw new RangeError('no data');
  for (const x of [sorted[0], sorted[sorted.length - 1]]) {
    if (!(Number.isInteger(x) && x >= 1)) throw new RangeError(`discrete power-law data must be positive integers, got ${x}`);
  }
  for (let i = 0; i < sorted.length; i++) if (!Number.isInteger(sorted[i])) throw new RangeError(`discrete power-law data must be integers, got ${sorted[i]}`);
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (values.length && values[values.length - 1] === sorted[i]) counts[counts.length - 1]++;
    else {
      values.push(sorted[i]);
      counts.push(1);
    }
  }
  const d = values.length;
  const tailCount = new Float64Array(d);
  const tailLogSum = new Float64Array(d);
  let count = 0;
  let logSum = 0;
  for (let j = d - 1; j >= 0; j--) {
    count += counts[j];
    logSum += counts[j] * Math.log(values[j]);
    tailCount[j] = count;
    tailLogSum[j] = logSum;
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts), tailCount, tailLogSum, n: sorted.length };
}

function maximumLikelihoodAlpha(table: Tabulated, j: number, [low, high]: readonly [number, number]) {
  const xmin = table.values[j];
  const found = minimizeBrent((alpha) => -discretePowerLawLogLikelihood(alpha, xmin, table.tailCount[j], table.tailLogSum[j]), low, high, { tolerance: 1e-10 });
  return { alpha: found.x, logLikelihood: -found.value };
}

/** max |S − P| over x ≥ x_min, checked at each distinct value and just before it (both CDFs step at integers). */
function ksDistance(table: Tabulated, j: number, alpha: number, xmin: number): number {
  const { values, counts } = table;
  const tailSize = table.tailCount[j];
  const normaliser = hurwitzZeta(alpha, xmin);
  let zeta = values[j] === xmin ? normaliser : hurwitzZeta(alpha, values[j]); // ζ(alpha, current value)
  let cumulative = 0;
  let distance = 0;
  for (let k = j; k < values.length; k++) {
    const v = values[k];
    if (k > j) {
      const gap = v - values[k - 1] - 1; // ζ(alpha, previous + 1) is known; step on to ζ(alpha, v)
      if (gap > 32) zeta = hurwitzZeta(alpha, v);
      else for (let x = values[k - 1] + 1; x < v; x++) zeta -= x ** -alpha;
    }
    // Just before v: empirical CDF is cumulative/n, model CDF is 1 − ζ(α, v)/ζ(α, x_min).
    distance = Math.max(distance, Math.abs(cumulative / tailSize - (1 - zeta / normaliser)));
    cumulative += counts[k];
    zeta -= v ** -alpha; // now ζ(alpha, v + 1)
    distance = Math.max(distance, Math.abs(cumulative / tailSize - (1 - zeta / normaliser)));
  }
  return distance;
}

function alphaStandardError(alpha: number, xmin: number, tailSize: number): number {
  // Observed information: n · d²/dα² log ζ(α, x_min), by central differences.
  const h = 1e-4;
  const logZeta = (a: number) => Math.log(hurwitzZeta(a, xmin));
  const curvature = (logZeta(alpha + h) - 2 * logZeta(alpha) + logZeta(alpha - h)) / (h * h);
  return curvature > 0 && alpha - h > 1 ? 1 / Math.sqrt(tailSize * curvature) : NaN;
}
