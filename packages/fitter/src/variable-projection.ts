import { minimizeNelderMead } from './nelder-mead.ts';
import { nonNegativeLeastSquares } from './nnls.ts';

/**
 * Variable projection (Golub & Pereyra) for models linear in non-negative coefficients and non-linear in a few
 * exponents: for fixed exponents the coefficients are an NNLS solve, so the search runs over the exponents
 * alone — first on a grid (robust to the many shallow valleys of power-law fits), then by Nelder–Mead from the
 * best grid point (the projected objective is only piecewise smooth where NNLS changes its active set).
 */
export interface VariableProjectionProblem {
  /** The target the linear part must fit (y, or y − E where E is fixed). */
  readonly target: ArrayLike<number>;
  /** Multiplies each row's residual: 1 for plain least squares, 1/y for relative residuals. */
  readonly weights?: ArrayLike<number>;
  /** One [low, high] search range per exponent; refinement stays inside it. */
  readonly ranges: readonly (readonly [number, number])[];
  /** Grid points per exponent (≥ 2), evenly spaced over its range. */
  readonly gridPoints: number;
  /** The basis columns (one per linear coefficient, each row-aligned with target) for given exponents. */
  basis(exponents: Float64Array): Float64Array[];
  /** Further candidate starts for the refinement, e.g. the full-data optimum when fitting a bootstrap resample. */
  readonly starts?: readonly ArrayLike<number>[];
  /**
   * Log residuals log y − log ŷ instead of (weighted) linear ones, ŷ = offset + Σ c_j·column_j (offset: a
   * fixed E, or 0; target must then be y − offset). `weights` are ignored. The coefficients are no longer a
   * single NNLS solve: see `logScaleCoefficients`.
   */
  readonly logScale?: { readonly y: ArrayLike<number>; readonly offset?: ArrayLike<number> };
}

export interface VariableProjectionFit {
  readonly exponents: Float64Array;
  /** Non-negative linear coefficients, in the order of the basis columns. */
  readonly coefficients: Float64Array;
  /** Σ (weight · residual)² at the optimum. */
  readonly residualSumOfSquares: number;
  /** Per exponent: true when the optimum sits on an end of its search range (the range should be widened). */
  readonly onGridEdge: readonly boolean[];
}

export function fitVariableProjection(problem: VariableProjectionProblem): VariableProjectionFit {
  const { ranges, gridPoints } = problem;
  const dimension = ranges.length;
  if (dimension === 0) throw new RangeError('variable projection needs at least one exponent');
  if (!(gridPoints >= 2)) throw new RangeError(`gridPoints must be at least 2, got ${gridPoints}`);
  for (const [low, high] of ranges) if (!(low < high)) throw new RangeError(`exponent range [${low}, ${high}] is empty`);
  const rows = problem.target.length;
  const weights = problem.weights;
  const weightedTarget = new Float64Array(rows);
  for (let i = 0; i < rows; i++) weightedTarget[i] = problem.target[i] * (weights ? weights[i] : 1);

  const solve = (exponents: Float64Array, polish = true): { coefficients: Float64Array; residualSumOfSquares: number } => {
    const columns = problem.basis(exponents);
    if (problem.logScale) return logScaleCoefficients(columns, problem.logScale.y, problem.logScale.offset, polish);
    if (weights) for (const column of columns) for (let i = 0; i < rows; i++) column[i] *= weights[i];
    return nonNegativeLeastSquares(columns, weightedTarget, { polish });
  };
  // The search ranks exponents by the Gram-matrix solve; only the final answer is polished by QR.
  const project = (exponents: Float64Array) => solve(exponents, false).residualSumOfSquares;

  // Grid search over the tensor product of the per-exponent grids.
  const spacing = ranges.map(([low, high]) => (high - low) / (gridPoints - 1));
  const point = new Float64Array(dimension);
  const index = new Int32Array(dimension);
  let best: Float64Array = Float64Array.from(ranges.map(([low]) => low));
  let bestValue = Infinity;
  for (;;) {
    for (let k = 0; k < dimension; k++) point[k] = ranges[k][0] + index[k] * spacing[k];
    const value = project(point);
    if (value < bestValue) {
      bestValue = value;
      best = Float64Array.from(point);
    }
    let k = 0;
    while (k < dimension && ++index[k] === gridPoints) index[k++] = 0;
    if (k === dimension) break;
  }
  for (const start of problem.starts ?? []) {
    const candidate = clampToRanges(Float64Array.from(start), ranges);
    const value = project(candidate);
    if (value < bestValue) {
      bestValue = value;
      best = candidate;
    }
  }

  // Refinement inside the ranges: outside, the objective is the clamped point's plus a quadratic penalty,
  // so the simplex is pushed back and an optimum beyond a range end settles exactly on the end.
  const penaltyScale = Math.max(bestValue, 1e-300) * 1e6;
  const clamped = new Float64Array(dimension);
  const refined = minimizeNelderMead(
    (x) => {
      let penalty = 0;
      for (let k = 0; k < dimension; k++) {
        const [low, high] = ranges[k];
        clamped[k] = Math.min(high, Math.max(low, x[k]));
        penalty += ((x[k] - clamped[k]) / spacing[k]) ** 2;
      }
      return project(clamped) + penaltyScale * penalty;
    },
    best,
    { step: spacing.map((s) => s / 2), xTolerance: 1e-9 * Math.max(...spacing), fTolerance: 1e-15 },
  );
  const exponents = clampToRanges(refined.x, ranges);
  const solution = solve(exponents);
  const final = solution.residualSumOfSquares <= bestValue ? { exponents, solution } : { exponents: best, solution: solve(best) };
  return {
    exponents: final.exponents,
    coefficients: final.solution.coefficients,
    residualSumOfSquares: final.solution.residualSumOfSquares,
    onGridEdge: ranges.map(([low, high], k) => {
      const slack = 1e-6 * (high - low);
      return final.exponents[k] <= low + slack || final.exponents[k] >= high - slack;
    }),
  };
}

function clampToRanges(x: Float64Array, ranges: readonly (readonly [number, number])[]): Float64Array {
  const out = new Float64Array(x.length);
  for (let k = 0; k < x.length; k++) out[k] = Math.min(ranges[k][1], Math.max(ranges[k][0], x[k]));
  return out;
}

/**
 * min_c≥0 Σ_i (log y_i − log ŷ_i)², ŷ = offset + Σ_j c_j·column_j, by Gauss–Newton on c with each step an NNLS
 * solve: linearising log ŷ around the current ŷ⁰ gives log y − log ŷ ≈ (ŷ⁰(1 + log(y/ŷ⁰)) − ŷ)/ŷ⁰, i.e.
 * weights 1/ŷ⁰ and target ŷ⁰(1 + log(y/ŷ⁰)) − offset. Starts from the relative-residual solution (weights 1/y,
 * its first-order version); a step that does not lower the objective is halved toward the current point
 * (a convex combination keeps c ≥ 0).
 */
export function logScaleCoefficients(
  columns: readonly Float64Array[],
  y: ArrayLike<number>,
  offset: ArrayLike<number> | undefined,
  polish = true,
): { coefficients: Float64Array; residualSumOfSquares: number } {
  const rows = y.length;
  const logY = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    if (!(y[i] > 0)) throw new RangeError(`log residuals need y > 0, got ${y[i]} at point ${i}`);
    logY[i] = Math.log(y[i]);
  }
  const base = (i: number) => (offset ? offset[i] : 0);
  const predict = (c: ArrayLike<number>, out: Float64Array) => {
    for (let i = 0; i < rows; i++) {
      let sum = base(i);
      for (let j = 0; j < columns.length; j++) sum += c[j] * columns[j][i];
      out[i] = sum;
    }
    return out;
  };
  const objective = (fitted: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += fitted[i] > 0 ? (logY[i] - Math.log(fitted[i])) ** 2 : Infinity;
    return sum;
  };
  const weightedSolve = (weights: Float64Array, target: Float64Array) => {
    const scaled = columns.map((column) => column.map((v, i) => v * weights[i]));
    const weightedTarget = target.map((v, i) => v * weights[i]);
    return nonNegativeLeastSquares(scaled, weightedTarget, { polish }).coefficients;
  };
  const weights = new Float64Array(rows);
  const target = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    weights[i] = 1 / y[i];
    target[i] = y[i] - base(i);
  }
  let c = weightedSolve(weights, target);
  const fitted = predict(c, new Float64Array(rows));
  let value = objective(fitted);
  const trial = new Float64Array(rows);
  // Gauss–Newton converges fast on small residuals: a few steps rank the grid, the final solve runs to the end.
  const maxIterations = polish ? 50 : 4;
  for (let iteration = 0; iteration < maxIterations && Number.isFinite(value); iteration++) {
    for (let i = 0; i < rows; i++) {
      weights[i] = 1 / fitted[i];
      target[i] = fitted[i] * (1 + logY[i] - Math.log(fitted[i])) - base(i);
    }
    const proposal = weightedSolve(weights, target);
    let step = 1;
    let next = proposal;
    let nextValue = objective(predict(next, trial));
    while (!(nextValue < value) && step > 1 / 64) {
      step /= 2;
      next = proposal.map((v, j) => c[j] + step * (v - c[j]));
      nextValue = objective(predict(next, trial));
    }
    if (!(nextValue < value)) break;
    const converged = value - nextValue <= 1e-12 * value + 1e-300;
    c = next;
    value = nextValue;
    fitted.set(trial);
    if (converged) break;
  }
  if (!Number.isFinite(value)) return { coefficients: c, residualSumOfSquares: Infinity };
  return { coefficients: c, residualSumOfSquares: value };
}
