import type { Rng } from '@kolmo/core';

/**
 * Nonparametric bootstrap with percentile intervals (Efron & Tibshirani 1993, ch. 13). Resampling is over
 * points, or over groups (e.g. seeds: all rows of a drawn group come together), which keeps the dependence
 * between points of one run inside a resample.
 */
export interface BootstrapOptions {
  readonly rng: Rng;
  /** Number of resamples (default 1000). */
  readonly resamples?: number;
  /** Two-sided coverage of the percentile intervals (default 0.95). */
  readonly level?: number;
  /** A group label per point: resample whole groups instead of points. */
  readonly groups?: ArrayLike<string | number>;
}

export interface BootstrapResult {
  /** Percentile interval per parameter, from the resamples that succeeded. */
  readonly intervals: Record<string, readonly [number, number]>;
  /** Standard deviation of each parameter over the resamples. */
  readonly standardErrors: Record<string, number>;
  /** Every successful resample's estimates, per parameter. */
  readonly samples: Record<string, Float64Array>;
  readonly resamples: number;
  /** Resamples whose estimate threw or returned undefined (e.g. too few distinct x to fit). */
  readonly failures: number;
}

/**
 * Runs `estimate` on `resamples` index sets drawn with replacement from 0..count−1 and summarises each
 * named parameter it returns.
 */
export function bootstrap(
  count: number,
  estimate: (indices: Int32Array) => Readonly<Record<string, number>> | undefined,
  options: BootstrapOptions,
): BootstrapResult {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie in (0, 1), got ${level}`);
  const draw = indexSampler(count, options.groups);
  const collected = new Map<string, number[]>();
  let failures = 0;
  for (let r = 0; r < resamples; r++) {
    const indices = draw(options.rng);
    let estimates: Readonly<Record<string, number>> | undefined;
    try {
      estimates = estimate(indices);
    } catch {
      estimates = undefined;
    }
    if (!estimates) {
      failures++;
      continue;
    }
    for (const [name, value] of Object.entries(estimates)) {
      if (!collected.has(name)) collected.set(name, []);
      collected.get(name)!.push(value);
    }
  }
  const intervals: Record<string, readonly [number, number]> = {};
  const standardErrors: Record<string, number> = {};
  const samples: Record<string, Float64Array> = {};
  for (const [name, values] of collected) {
    const sorted = Float64Array.from(values).sort();
    samples[name] = Float64Array.from(values);
    intervals[name] = [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2)];
    standardErrors[name] = standardDeviation(sorted);
  }
  return { intervals, standardErrors, samples, resamples, failures };
}

/** Draws one resample's indices: n points with replacement, or G groups with replacement (all their points). */
export function indexSampler(count: number, groups?: ArrayLike<string | number>): (rng: Rng) => Int32Array {
  if (!groups) {
    return (rng) => {
      const indices = new Int32Array(count);
      for (let i = 0; i < count; i++) indices[i] = rng.nextInt(count);
      return indices;
    };
  }
  if (groups.length !== count) throw new RangeError(`groups has ${groups.length} labels for ${count} points`);
  const members = new Map<string | number, number[]>();
  for (let i = 0; i < count; i++) {
    if (!members.has(groups[i])) members.set(groups[i], []);
    members.get(groups[i])!.push(i);
  }
  const blocks = [...members.values()];
  return (rng) => {
    const chosen: number[] = [];
    for (let g = 0; g < blocks.length; g++) chosen.push(...blocks[rng.nextInt(blocks.length)]);
    return Int32Array.from(chosen);
  };
}

/** Linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const position = q * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

function standardDeviation(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i] - mean) ** 2;
  return Math.sqrt(sum / (n - 1));
}

/** Picks the given rows of a column. */
export function gather(values: ArrayLike<number>, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}
