import { KolmoError, type FitResult } from '@kolmo/core';
import { formatNumber } from './axis-format.ts';
import type { FitReference } from './report-spec.ts';

/** A fit of fits.json picked by a plot, with the name the report gives it. */
export interface PickedFit {
  readonly fit: FitResult;
  readonly index: number;
  readonly name: string;
}

export function fitName(fit: FitResult, index: number): string {
  return typeof fit.label === 'string' ? fit.label : `#${index} ${fit.kind}${typeof fit.y === 'string' ? ` ${fit.y} vs ${String(fit.x)}` : ''}`;
}

/** A fit by label or index; a wrong reference lists the fits there are. */
export function pickFit(fits: readonly FitResult[], reference: FitReference, where: string): PickedFit {
  const index = typeof reference === 'number' ? reference : fits.findIndex((fit) => fit.label === reference);
  if (index < 0 || index >= fits.length) {
    const offered = fits.length ? fits.map((fit, i) => `${i}: ${typeof fit.label === 'string' ? `"${fit.label}"` : '(no label)'} ${fit.kind}`).join(', ') : 'none (the run has no fits.json)';
    throw new KolmoError('invalidSpec', `${where}: no fit ${JSON.stringify(reference)} in fits.json; the fits are ${offered}`);
  }
  return { fit: fits[index], index, name: fitName(fits[index], index) };
}

type Parameters = Readonly<Record<string, number>>;

/**
 * A fitted law along one plotted variable: y(x) with the other variable of a joint law held at `other`.
 * power-law: E + A x^(−alpha) (+ B x^(−1), two-term); joint-law: E + A N^(−alpha) + B D^(−beta).
 */
export interface LawAlong {
  /** The exponent of the plotted variable (alpha, or beta when a joint law is plotted along its z). */
  readonly exponent: string;
  /** The column of the joint law's other variable, held fixed along a curve. */
  readonly other?: string;
  value(parameters: Parameters, x: number, other?: number): number;
}

export function lawAlong(picked: PickedFit, plotX: string, where: string): LawAlong {
  const { fit, name } = picked;
  const E = (p: Parameters) => p.E ?? 0;
  if (fit.kind === 'power-law') {
    if (typeof fit.x === 'string' && fit.x !== plotX) {
      throw new KolmoError('invalidSpec', `${where}: fit "${name}" is along ${fit.x}, but this plot's x is ${plotX}`);
    }
    return { exponent: 'alpha', value: (p, x) => E(p) + p.A * x ** -p.alpha + (p.B ?? 0) / x };
  }
  if (fit.kind === 'joint-law') {
    if (fit.x === plotX) return { exponent: 'alpha', other: String(fit.z), value: (p, x, z) => E(p) + p.A * x ** -p.alpha + p.B * z! ** -p.beta };
    if (fit.z === plotX) return { exponent: 'beta', other: String(fit.x), value: (p, x, n) => E(p) + p.A * n! ** -p.alpha + p.B * x ** -p.beta };
    throw new KolmoError('invalidSpec', `${where}: fit "${name}" is along ${String(fit.x)} and ${String(fit.z)}, but this plot's x is ${plotX}`);
  }
  throw new KolmoError('invalidSpec', `${where}: fit "${name}" is of kind "${fit.kind}"; scaling plots draw power-law and joint-law fits`);
}

/** How the band around a fitted curve was obtained. */
export type BandKind = 'bootstrap' | 'intervals' | 'none';

export interface CurvePoint {
  readonly x: number;
  readonly y: number;
  readonly low?: number;
  readonly high?: number;
}

export interface FittedCurve {
  readonly points: CurvePoint[];
  readonly band: BandKind;
  readonly level: number;
}

/**
 * The fitted curve at `xs` and its band: pointwise percentiles of the law over the fit's bootstrap samples
 * when fits.json stores them (`samples` or `bootstrap.samples`: parameter → values), else the envelope of
 * the law over the corners of the parameter intervals, which ignores their correlation and so is wider.
 * `withoutE` drops E (excess-loss plots).
 */
export function fittedCurve(picked: PickedFit, law: LawAlong, xs: readonly number[], other: number | undefined, withoutE: boolean): FittedCurve {
  const { fit } = picked;
  const base = withoutE ? { ...fit.parameters, E: 0 } : fit.parameters;
  const level = levelOf(fit);
  const samples = storedSamples(fit);
  const points: CurvePoint[] = xs.map((x) => ({ x, y: law.value(base, x, other) }));
  if (samples) {
    const names = Object.keys(samples);
    const count = samples[names[0]].length;
    const values = new Float64Array(count);
    return {
      band: 'bootstrap',
      level,
      points: points.map(({ x, y }) => {
        for (let s = 0; s < count; s++) {
          const parameters: Record<string, number> = { ...base };
          for (const name of names) if (!(withoutE && name === 'E')) parameters[name] = samples[name][s];
          values[s] = law.value(parameters, x, other);
        }
        const sorted = values.slice().sort();
        return { x, y, low: quantile(sorted, (1 - level) / 2), high: quantile(sorted, (1 + level) / 2) };
      }),
    };
  }
  const intervals = Object.entries(fit.intervals ?? {}).filter(([name]) => name in base && !(withoutE && name === 'E'));
  if (intervals.length === 0) return { band: 'none', level, points };
  return {
    band: 'intervals',
    level,
    points: points.map(({ x, y }) => {
      let low = Infinity;
      let high = -Infinity;
      for (let corner = 0; corner < 1 << intervals.length; corner++) {
        const parameters: Record<string, number> = { ...base };
        intervals.forEach(([name, bounds], i) => (parameters[name] = bounds[(corner >> i) & 1]));
        const value = law.value(parameters, x, other);
        low = Math.min(low, value);
        high = Math.max(high, value);
      }
      return { x, y, low, high };
    }),
  };
}

function levelOf(fit: FitResult): number {
  const level = (fit.bootstrap as { level?: unknown } | undefined)?.level;
  return typeof level === 'number' && level > 0 && level < 1 ? level : 0.95;
}

function storedSamples(fit: FitResult): Record<string, ArrayLike<number>> | undefined {
  const candidate = (fit.samples ?? (fit.bootstrap as { samples?: unknown } | undefined)?.samples) as Record<string, unknown> | undefined;
  if (!candidate || typeof candidate !== 'object') return undefined;
  const entries = Object.entries(candidate).filter(([name, values]) => name in fit.parameters && Array.isArray(values) && values.length > 0);
  if (entries.length === 0 || new Set(entries.map(([, values]) => (values as number[]).length)).size !== 1) return undefined;
  return Object.fromEntries(entries) as Record<string, number[]>;
}

/** Linear interpolation between order statistics (type 7), as the fitter's bootstrap uses. */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const position = (sorted.length - 1) * p;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** "alpha = 0.523 [0.501, 0.547]" (the interval when there is one). */
export function parameterText(fit: FitResult, name: string, digits = 4): string {
  const value = fit.parameters[name];
  const interval = fit.intervals?.[name];
  return `${name} = ${formatNumber(value, digits)}${interval ? ` [${formatNumber(interval[0], digits)}, ${formatNumber(interval[1], digits)}]` : ''}`;
}

/** n values spaced evenly in log between low and high (both included). */
export function logSpaced(low: number, high: number, n: number): number[] {
  if (low === high) return [low];
  const a = Math.log(low);
  const b = Math.log(high);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? high : i === 0 ? low : Math.exp(a + ((b - a) * i) / (n - 1))));
}
