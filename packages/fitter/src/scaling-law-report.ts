import type { FitResult, Rng } from '@kolmo/core';
import { bootstrap, type BootstrapResult } from './bootstrap.ts';
import type { GoodnessOfFit } from './goodness-of-fit.ts';
import { studentizedInterval } from './studentized-interval.ts';

/** How the bootstrap's resamples become an interval: bootstrap-t (default) or the plain percentile interval. */
export type IntervalMethod = 'studentized' | 'percentile';

/** How a fit's uncertainty is estimated: bootstrap resamples of the points, or of groups (e.g. seeds). */
export interface UncertaintyOptions {
  readonly rng: Rng;
  /** Resamples (default 1000). */
  readonly resamples?: number;
  /** Coverage of the percentile intervals (default 0.95). */
  readonly level?: number;
  /** A group label per point: resample whole groups (e.g. seeds) instead of points. */
  readonly groups?: ArrayLike<string | number>;
  /** 'studentized': bootstrap-t with each resample's linearised SE; 'percentile': Efron's percentile. Default:
   *  `defaultIntervalMethod` of the residual scale. */
  readonly interval?: IntervalMethod;
}

/** What every scaling-law fit reports: a FitResult with standard errors, goodness of fit and the bootstrap's size. */
export interface ScalingLawFitResult extends FitResult {
  readonly standardErrors?: Readonly<Record<string, number>>;
  readonly goodness: GoodnessOfFit;
  readonly n: number;
  readonly bootstrap?: {
    readonly resamples: number;
    readonly failures: number;
    readonly level: number;
    readonly over: 'points' | 'groups';
    readonly groups?: number;
    /** How the intervals were formed; 'studentized (percentile for X)' when some parameter fell back. */
    readonly interval?: string;
    /** Each parameter's value in every resample that succeeded (the report draws pointwise bands from them). */
    readonly samples?: Readonly<Record<string, readonly number[]>>;
  };
}

/** Fraction of resamples beyond which an exponent's edge hits make its interval untrustworthy. */
const edgeFractionWarning = 0.05;

/**
 * The interval each residual scale gets unless told otherwise, from the coverage measured over synthetic
 * seeds (fitter/src/interval-coverage.test.ts): studentized on relative and log scales, where the percentile
 * interval under-covered the joint law; percentile for absolute residuals, where the SE is far from pivotal
 * (a few large-y points carry the fit) and bootstrap-t under-covered instead; percentile over < 10 groups.
 */
export function defaultIntervalMethod(scale: string, groups?: ArrayLike<string | number>): IntervalMethod {
  // Over fewer than 10 groups (e.g. 3 seeds) a resample's SE is no SE at all: the brackets are then the
  // percentile ones, which the report calls the range of those runs.
  if (groups && new Set(Array.from({ length: groups.length }, (_, i) => groups[i])).size < 10) return 'percentile';
  return scale === 'absolute' ? 'percentile' : 'studentized';
}

/** One resample's (or the full data's) fit: parameters, exponents on their search edge, linearised SEs. */
export interface ResampleFit {
  readonly parameters: Readonly<Record<string, number>>;
  readonly onGridEdge: readonly string[];
  readonly standardErrors?: Readonly<Record<string, number>>;
}

/**
 * Runs the bootstrap for a fit and turns its outcome into intervals and warnings. `refit` fits one resample
 * and says which exponents ended on their search edge; fixed parameters (e.g. a known E) get no interval.
 * Studentized intervals need `full` (the estimate and its SEs) and SEs from every resample; they are clipped
 * to `bounds` (coefficients ≥ 0, exponents inside their search range), where the truth must lie.
 */
export function bootstrapScalingLaw(
  count: number,
  refit: (indices: Int32Array) => ResampleFit | undefined,
  options: UncertaintyOptions,
  fixed: readonly string[],
  full?: ResampleFit,
  bounds: Readonly<Record<string, readonly [number, number]>> = {},
): { result: BootstrapResult; warnings: string[]; summary: NonNullable<ScalingLawFitResult['bootstrap']> } {
  const edgeHits = new Map<string, number>();
  const sampleErrors = new Map<string, number[]>();
  const result = bootstrap(
    count,
    (indices) => {
      const fit = refit(indices);
      if (!fit) return undefined;
      for (const name of fit.onGridEdge) edgeHits.set(name, (edgeHits.get(name) ?? 0) + 1);
      const free: Record<string, number> = {};
      for (const [name, value] of Object.entries(fit.parameters)) {
        if (fixed.includes(name)) continue;
        free[name] = value;
        if (!sampleErrors.has(name)) sampleErrors.set(name, []);
        sampleErrors.get(name)!.push(fit.standardErrors?.[name] ?? NaN);
      }
      return free;
    },
    options,
  );
  const method = options.interval ?? 'studentized';  // callers pass defaultIntervalMethod(scale)
  const fellBack: string[] = [];
  if (method === 'studentized') {
    const level = options.level ?? 0.95;
    for (const [name, samples] of Object.entries(result.samples)) {
      const interval = full
        ? studentizedInterval(full.parameters[name], full.standardErrors?.[name] ?? NaN, samples, sampleErrors.get(name) ?? [], level)
        : undefined;
      if (!interval) {
        fellBack.push(name);
        continue;
      }
      const [low, high] = bounds[name] ?? [-Infinity, Infinity];
      (result.intervals as Record<string, readonly [number, number]>)[name] = [Math.max(interval[0], low), Math.min(interval[1], high)];
    }
  }
  const warnings: string[] = [];
  if (fellBack.length) warnings.push(`${fellBack.join(', ')}: no usable standard errors for a studentized interval; percentile interval instead`);
  if (result.failures > 0) warnings.push(`${result.failures} of ${result.resamples} bootstrap resamples could not be fitted and were left out`);
  const succeeded = result.resamples - result.failures;
  for (const [name, hits] of edgeHits) {
    if (hits > edgeFractionWarning * succeeded) {
      warnings.push(`${name}: ${hits} of ${succeeded} bootstrap resamples ended on the edge of the search grid; its interval is cut off there`);
    }
  }
  const groups = options.groups ? new Set(Array.from({ length: options.groups.length }, (_, i) => options.groups![i])).size : undefined;
  if (groups !== undefined && groups < 10) warnings.push(`bootstrap over only ${groups} groups: percentile intervals are rough below about 10 groups`);
  return {
    result,
    warnings,
    summary: {
      resamples: result.resamples,
      failures: result.failures,
      level: options.level ?? 0.95,
      over: options.groups ? 'groups' : 'points',
      interval: method === 'percentile' || fellBack.length === Object.keys(result.samples).length ? 'percentile' : fellBack.length ? `studentized (percentile for ${fellBack.join(', ')})` : 'studentized',
      ...(groups !== undefined ? { groups } : {}),
      samples: Object.fromEntries(Object.entries(result.samples).map(([name, values]) => [name, Array.from(values, (v) => Number(v.toPrecision(6)))])),
    },
  };
}

/** Warnings about the point estimate itself: exponents on the grid edge, vanished terms, too few points. */
export function pointEstimateWarnings(
  parameters: Readonly<Record<string, number>>,
  onGridEdge: readonly string[],
  ranges: Readonly<Record<string, readonly [number, number]>>,
  terms: readonly (readonly [coefficient: string, exponent: string])[],
  n: number,
  fitted: number,
): string[] {
  const warnings: string[] = [];
  for (const name of onGridEdge) {
    const [low, high] = ranges[name];
    warnings.push(`${name} = ${round(parameters[name])} sits on the edge of its search grid [${low}, ${high}]: widen the range or check the data`);
  }
  for (const [coefficient, exponent] of terms) {
    if (parameters[coefficient] === 0) warnings.push(`${coefficient} = 0: that power-law term vanished, so ${exponent} is not identified`);
  }
  if (n < 2 * fitted) warnings.push(`only ${n} points for ${fitted} fitted parameters`);
  return warnings;
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}
