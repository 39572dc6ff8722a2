import { solveLeastSquares } from './least-squares.ts';

/**
 * Non-negative least squares min ‖Σ_j c_j·column_j − target‖² subject to c ≥ 0, by the active-set method of
 * Lawson & Hanson (1974, ch. 23). Columns are scaled to unit norm inside (c ≥ 0 is scale-free), which keeps
 * the optimality test meaningful when a power-law column spans many orders of magnitude.
 */
export interface NonNegativeLeastSquaresResult {
  readonly coefficients: Float64Array;
  readonly residualSumOfSquares: number;
  readonly iterations: number;
}

export function nonNegativeLeastSquares(
  columns: readonly ArrayLike<number>[],
  target: ArrayLike<number>,
  options: { maxIterations?: number } = {},
): NonNegativeLeastSquaresResult {
  const p = columns.length;
  const rows = target.length;
  const norms = new Float64Array(p);
  const scaled: Float64Array[] = columns.map((column, j) => {
    if (column.length !== rows) throw new RangeError(`column ${j} has ${column.length} rows, target has ${rows}`);
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += column[i] * column[i];
    norms[j] = Math.sqrt(sum);
    const out = new Float64Array(rows);
    if (norms[j] > 0) for (let i = 0; i < rows; i++) out[i] = column[i] / norms[j];
    return out;
  });
  let targetNorm = 0;
  for (let i = 0; i < rows; i++) targetNorm += target[i] * target[i];
  targetNorm = Math.sqrt(targetNorm);
  // Lawson–Hanson's dual-feasibility tolerance, relative to the (unit) column scale and the target.
  const tolerance = 10 * 2.220446049250313e-16 * Math.max(rows, p) * Math.max(targetNorm, 1e-300);
  const maxIterations = options.maxIterations ?? 3 * p + 30;

  const x = new Float64Array(p);
  const passive = new Uint8Array(p);
  const residual = Float64Array.from(target as ArrayLike<number>);
  const gradient = new Float64Array(p);
  // Columns whose own least-squares coefficient came out ≤ 0 on entering (a round-off-level gradient):
  // they are skipped until x changes, which keeps the method from cycling.
  const excluded = new Uint8Array(p);
  let iterations = 0;

  const updateResidualAndGradient = () => {
    for (let i = 0; i < rows; i++) {
      let fitted = 0;
      for (let j = 0; j < p; j++) if (x[j] !== 0) fitted += x[j] * scaled[j][i];
      residual[i] = target[i] - fitted;
    }
    for (let j = 0; j < p; j++) {
      let dot = 0;
      const column = scaled[j];
      for (let i = 0; i < rows; i++) dot += column[i] * residual[i];
      gradient[j] = dot;
    }
  };

  updateResidualAndGradient();
  outer: while (iterations < maxIterations) {
    let entering = -1;
    let best = tolerance;
    for (let j = 0; j < p; j++) {
      if (!passive[j] && !excluded[j] && norms[j] > 0 && gradient[j] > best) {
        best = gradient[j];
        entering = j;
      }
    }
    if (entering < 0) break;
    passive[entering] = 1;

    for (let first = true; ; first = false) {
      iterations++;
      const set = passiveIndices(passive);
      const solution = solveLeastSquares(set.map((j) => scaled[j]), target).coefficients;
      let allPositive = true;
      for (let k = 0; k < set.length; k++) if (!(solution[k] > 0)) allPositive = false;
      if (allPositive) {
        x.fill(0);
        for (let k = 0; k < set.length; k++) x[set[k]] = solution[k];
        excluded.fill(0);
        break;
      }
      if (first && !(solution[set.indexOf(entering)] > 0)) {
        passive[entering] = 0;
        excluded[entering] = 1;
        continue outer;
      }
      // Step from x towards the unconstrained solution until the first passive coefficient hits zero.
      let step = 1;
      for (let k = 0; k < set.length; k++) {
        if (solution[k] <= 0) {
          const j = set[k];
          step = Math.min(step, x[j] / (x[j] - solution[k]));
        }
      }
      for (let k = 0; k < set.length; k++) {
        const j = set[k];
        x[j] += step * (solution[k] - x[j]);
        if (x[j] <= 1e-15 * Math.max(1, Math.abs(solution[k]))) {
          x[j] = 0;
          passive[j] = 0;
        }
      }
      excluded.fill(0);
      if (iterations >= maxIterations) break outer;
    }
    updateResidualAndGradient();
  }

  updateResidualAndGradient();
  let residualSumOfSquares = 0;
  for (let i = 0; i < rows; i++) residualSumOfSquares += residual[i] * residual[i];
  const coefficients = new Float64Array(p);
  for (let j = 0; j < p; j++) coefficients[j] = norms[j] > 0 ? x[j] / norms[j] : 0;
  return { coefficients, residualSumOfSquares, iterations };
}

function passiveIndices(passive: Uint8Array): number[] {
  const set: number[] = [];
  for (let j = 0; j < passive.length; j++) if (passive[j]) set.push(j);
  return set;
}
