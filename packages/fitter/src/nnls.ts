import { solveLeastSquares } from './least-squares.ts';

/**
 * Non-negative least squares min ‖Σ_j c_j·column_j − target‖² subject to c ≥ 0, by the active-set method of
 * Lawson & Hanson (1974, ch. 23) run on the Gram matrix (Bro & de Jong's "fast NNLS"): the fitters call it
 * thousands of times per fit with a few columns and many rows, so the iterations work in p×p space. Columns
 * are scaled to unit norm first (c ≥ 0 is scale-free), and the final passive set is re-solved by Householder
 * QR on the data, so the answer keeps the accuracy of QR when a power-law basis is ill-conditioned.
 */
export interface NonNegativeLeastSquaresResult {
  readonly coefficients: Float64Array;
  readonly residualSumOfSquares: number;
  readonly iterations: number;
}

export function nonNegativeLeastSquares(
  columns: readonly ArrayLike<number>[],
  target: ArrayLike<number>,
  options: { maxIterations?: number; /** Re-solve the final passive set by QR (default true). */ polish?: boolean } = {},
): NonNegativeLeastSquaresResult {
  const p = columns.length;
  const rows = target.length;
  const norms = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const column = columns[j];
    if (column.length !== rows) throw new RangeError(`column ${j} has ${column.length} rows, target has ${rows}`);
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += column[i] * column[i];
    norms[j] = Math.sqrt(sum);
  }
  // Gram matrix and right-hand side of the unit-scaled problem.
  const gram = new Float64Array(p * p);
  const rhs = new Float64Array(p);
  let targetNorm = 0;
  for (let i = 0; i < rows; i++) targetNorm += target[i] * target[i];
  targetNorm = Math.sqrt(targetNorm);
  for (let j = 0; j < p; j++) {
    if (norms[j] === 0) continue;
    const cj = columns[j];
    let h = 0;
    for (let i = 0; i < rows; i++) h += cj[i] * target[i];
    rhs[j] = h / norms[j];
    for (let k = 0; k <= j; k++) {
      if (norms[k] === 0) continue;
      const ck = columns[k];
      let g = 0;
      for (let i = 0; i < rows; i++) g += cj[i] * ck[i];
      gram[j * p + k] = gram[k * p + j] = g / (norms[j] * norms[k]);
    }
  }
  // Lawson–Hanson's dual-feasibility tolerance, relative to the (unit) column scale and the target.
  const tolerance = 10 * 2.220446049250313e-16 * Math.max(rows, p) * Math.max(targetNorm, 1e-300);
  const maxIterations = options.maxIterations ?? 3 * p + 30;

  const x = new Float64Array(p);
  const passive = new Uint8Array(p);
  // Columns whose own coefficient came out ≤ 0 on entering (a round-off-level gradient) are skipped until
  // x changes, which keeps the method from cycling.
  const excluded = new Uint8Array(p);
  const gradient = new Float64Array(p);
  const solution = new Float64Array(p);
  const workspace = new Float64Array(p * p);
  let iterations = 0;

  const updateGradient = () => {
    for (let j = 0; j < p; j++) {
      let g = rhs[j];
      for (let k = 0; k < p; k++) g -= gram[j * p + k] * x[k];
      gradient[j] = g;
    }
  };

  updateGradient();
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
      solvePassive(gram, rhs, passive, p, solution, workspace);
      let allPositive = true;
      for (let j = 0; j < p; j++) if (passive[j] && !(solution[j] > 0)) allPositive = false;
      if (allPositive) {
        for (let j = 0; j < p; j++) x[j] = passive[j] ? solution[j] : 0;
        excluded.fill(0);
        break;
      }
      if (first && !(solution[entering] > 0)) {
        passive[entering] = 0;
        excluded[entering] = 1;
        continue outer;
      }
      // Step from x towards the unconstrained solution until the first passive coefficient hits zero.
      let step = 1;
      for (let j = 0; j < p; j++) if (passive[j] && solution[j] <= 0) step = Math.min(step, x[j] / (x[j] - solution[j]));
      for (let j = 0; j < p; j++) {
        if (!passive[j]) continue;
        x[j] += step * (solution[j] - x[j]);
        if (x[j] <= 1e-15 * Math.max(1, Math.abs(solution[j]))) {
          x[j] = 0;
          passive[j] = 0;
        }
      }
      excluded.fill(0);
      if (iterations >= maxIterations) break outer;
    }
    updateGradient();
  }

  const coefficients = new Float64Array(p);
  for (let j = 0; j < p; j++) coefficients[j] = norms[j] > 0 ? x[j] / norms[j] : 0;
  if (options.polish ?? true) polishByQr(columns, target, passive, coefficients);
  let residualSumOfSquares = 0;
  for (let i = 0; i < rows; i++) {
    let r = target[i];
    for (let j = 0; j < p; j++) if (coefficients[j] !== 0) r -= coefficients[j] * columns[j][i];
    residualSumOfSquares += r * r;
  }
  return { coefficients, residualSumOfSquares, iterations };
}

/** Solves the passive block G_PP s_P = h_P by Cholesky (G is positive semidefinite; a null pivot gives 0). */
function solvePassive(gram: Float64Array, rhs: Float64Array, passive: Uint8Array, p: number, out: Float64Array, l: Float64Array): void {
  const set: number[] = [];
  for (let j = 0; j < p; j++) if (passive[j]) set.push(j);
  const m = set.length;
  out.fill(0);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b <= a; b++) {
      let sum = gram[set[a] * p + set[b]];
      for (let k = 0; k < b; k++) sum -= l[a * m + k] * l[b * m + k];
      if (a === b) l[a * m + a] = sum > 1e-14 ? Math.sqrt(sum) : 0;
      else l[a * m + b] = l[b * m + b] > 0 ? sum / l[b * m + b] : 0;
    }
  }
  const z = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let sum = rhs[set[a]];
    for (let k = 0; k < a; k++) sum -= l[a * m + k] * z[k];
    z[a] = l[a * m + a] > 0 ? sum / l[a * m + a] : 0;
  }
  for (let a = m - 1; a >= 0; a--) {
    let sum = z[a];
    for (let k = a + 1; k < m; k++) sum -= l[k * m + a] * out[set[k]];
    out[set[a]] = l[a * m + a] > 0 ? sum / l[a * m + a] : 0;
  }
}

/** Re-solves the final passive set by QR on the data; kept only when it stays feasible (all > 0). */
function polishByQr(columns: readonly ArrayLike<number>[], target: ArrayLike<number>, passive: Uint8Array, coefficients: Float64Array): void {
  const set: number[] = [];
  for (let j = 0; j < passive.length; j++) if (passive[j] && coefficients[j] > 0) set.push(j);
  if (set.length === 0 || set.length > target.length) return;
  const { coefficients: refined, rankDeficient } = solveLeastSquares(set.map((j) => columns[j]), target);
  if (rankDeficient || refined.some((c) => !(c > 0))) return;
  for (let k = 0; k < set.length; k++) coefficients[set[k]] = refined[k];
}
