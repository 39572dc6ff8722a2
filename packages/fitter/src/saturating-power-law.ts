import { fitVariableProjection } from './variable-projection.ts';

/**
 * Saturating power laws in one variable (theory §4, §7):
 *   single    y = E + A x^(−alpha)
 *   two-term  y = E + A x^(−alpha) + B x^(−1)   (knowledge ∝ N^−(1−α) plus syntax ∝ N^−1)
 * E, A, B ≥ 0 by NNLS for each alpha; alpha by grid then Nelder–Mead (variable projection).
 */
export type PowerLawForm = 'single' | 'two-term';

/**
 * 'absolute': least squares on y. 'relative': on (y − ŷ)/y, the first-order log residual; with large scatter it
 * pulls the fit below the data (a point far above ŷ costs at most 1, one far below costs without bound).
 * 'log': on log y − log ŷ, symmetric in ratio, for losses spanning decades (Gauss–Newton inside the projection).
 */
export type ResidualScale = 'absolute' | 'relative' | 'log';

/** The residual scale used when none is given: log when x spans at least two decades and every y > 0, else absolute. */
export function defaultResidualScale(x: ArrayLike<number>, y: ArrayLike<number>, ...more: ArrayLike<number>[]): ResidualScale {
  const decades = (values: ArrayLike<number>) => {
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < values.length; i++) {
      low = Math.min(low, values[i]);
      high = Math.max(high, values[i]);
    }
    return low > 0 ? Math.log10(high / low) : 0;
  };
  for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) return 'absolute';
  return [x, ...more].some((values) => decades(values) >= 2) ? 'log' : 'absolute';
}

export interface SaturatingPowerLawOptions {
  readonly form?: PowerLawForm;
  /** A known E (the entropy H): one number, or one value per point (e.g. each run's own true entropy). */
  readonly fixE?: number | ArrayLike<number>;
  /** Default: `defaultResidualScale(x, y)`. */
  readonly residuals?: ResidualScale;
  /** Search range of alpha (default [0.01, 4]). */
  readonly exponentRange?: readonly [number, number];
  /** Grid points over the range (default 200). */
  readonly gridPoints?: number;
  /** Extra starting exponents for the refinement (e.g. the full-data optimum for a bootstrap resample). */
  readonly starts?: readonly number[];
}

export interface SaturatingPowerLawFit {
  readonly form: PowerLawForm;
  /** E, A, alpha (and B for the two-term form). With a per-point fixE, E is its mean. */
  readonly parameters: Readonly<Record<string, number>>;
  /** ŷ at each input point. */
  readonly fitted: Float64Array;
  readonly residualSumOfSquares: number;
  /** The residual scale the fit minimised. */
  readonly residuals: ResidualScale;
  /** alpha ended on an end of its search range. */
  readonly onGridEdge: boolean;
}

export const defaultExponentRange: readonly [number, number] = [0.01, 4];

export function fitSaturatingPowerLaw(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: SaturatingPowerLawOptions = {},
): SaturatingPowerLawFit {
  const form = options.form ?? 'single';
  const n = checkPoints(x, y);
  const fixedE = fixedOffsets(options.fixE, n);
  const target = new Float64Array(n);
  for (let i = 0; i < n; i++) target[i] = y[i] - (fixedE ? fixedE[i] : 0);
  const inverse = new Float64Array(n);
  const logX = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    inverse[i] = 1 / x[i];
    logX[i] = Math.log(x[i]);
  }
  const residuals = options.residuals ?? defaultResidualScale(x, y);
  const fit = fitVariableProjection({
    target,
    weights: relativeWeights(residuals, y),
    ...(residuals === 'log' ? { logScale: { y, offset: fixedE } } : {}),
    ranges: [options.exponentRange ?? defaultExponentRange],
    gridPoints: options.gridPoints ?? 200,
    starts: options.starts?.map((start) => [start]),
    basis: ([alpha]) => {
      const columns: Float64Array[] = [];
      if (!fixedE) columns.push(new Float64Array(n).fill(1));
      const power = new Float64Array(n);
      for (let i = 0; i < n; i++) power[i] = Math.exp(-alpha * logX[i]);
      columns.push(power);
      if (form === 'two-term') columns.push(Float64Array.from(inverse));
      return columns;
    },
  });
  const c = fit.coefficients;
  const E = fixedE ? reportedFixedE(options.fixE!) : c[0];
  const A = c[fixedE ? 0 : 1];
  const B = form === 'two-term' ? c[fixedE ? 1 : 2] : 0;
  const alpha = fit.exponents[0];
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = (fixedE ? fixedE[i] : E) + A * Math.exp(-alpha * logX[i]) + B * inverse[i];
  const parameters: Record<string, number> = { E, A, alpha };
  if (form === 'two-term') parameters.B = B;
  return { form, parameters, fitted, residualSumOfSquares: fit.residualSumOfSquares, residuals, onGridEdge: fit.onGridEdge[0] };
}

/** ŷ = E + A x^−alpha + B x^−1 for parameters as returned by `fitSaturatingPowerLaw`. */
export function evaluateSaturatingPowerLaw(parameters: Readonly<Record<string, number>>, x: number): number {
  return parameters.E + parameters.A * x ** -parameters.alpha + (parameters.B ?? 0) / x;
}

export function checkPoints(x: ArrayLike<number>, y: ArrayLike<number>, ...more: ArrayLike<number>[]): number {
  const n = x.length;
  if (y.length !== n || more.some((column) => column.length !== n)) throw new RangeError('columns differ in length');
  for (let i = 0; i < n; i++) {
    if (!(x[i] > 0) || !Number.isFinite(x[i])) throw new RangeError(`x must be positive and finite, got ${x[i]} at point ${i}`);
    if (!Number.isFinite(y[i])) throw new RangeError(`y must be finite, got ${y[i]} at point ${i}`);
    for (const column of more) {
      if (!(column[i] > 0) || !Number.isFinite(column[i])) throw new RangeError(`a second variable must be positive and finite, got ${column[i]} at point ${i}`);
    }
  }
  return n;
}

export function fixedOffsets(fixE: number | ArrayLike<number> | undefined, n: number): Float64Array | undefined {
  if (fixE === undefined) return undefined;
  if (typeof fixE === 'number') return new Float64Array(n).fill(fixE);
  if (fixE.length !== n) throw new RangeError(`fixE has ${fixE.length} values for ${n} points`);
  return Float64Array.from(fixE);
}

export function relativeWeights(residuals: ResidualScale | undefined, y: ArrayLike<number>): Float64Array | undefined {
  if ((residuals ?? 'absolute') !== 'relative') return undefined;
  const weights = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    if (!(y[i] > 0)) throw new RangeError(`relative residuals need y > 0, got ${y[i]} at point ${i}`);
    weights[i] = 1 / y[i];
  }
  return weights;
}

/** The E reported for a fixed E: the number itself, or the mean of the per-point values. */
export function reportedFixedE(fixE: number | ArrayLike<number>): number {
  if (typeof fixE === 'number') return fixE;
  let sum = 0;
  for (let i = 0; i < fixE.length; i++) sum += fixE[i];
  return sum / fixE.length;
}
