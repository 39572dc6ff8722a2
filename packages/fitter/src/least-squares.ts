/**
 * Dense linear least squares min ‖Σ_j c_j·column_j − target‖² by Householder QR. Columns are passed
 * separately because every caller here builds a design matrix column by column (basis functions), and QR
 * (not the normal equations) keeps the accuracy of ill-conditioned power-law bases such as {1, x^−a, x^−b}.
 */
export interface LeastSquaresSolution {
  readonly coefficients: Float64Array;
  /** Σ residual², computed from the rotated target (no second pass over the data). */
  readonly residualSumOfSquares: number;
  /** Some column was numerically a combination of earlier ones; its coefficient is set to 0. */
  readonly rankDeficient: boolean;
}

export function solveLeastSquares(columns: readonly ArrayLike<number>[], target: ArrayLike<number>): LeastSquaresSolution {
  const rows = target.length;
  const p = columns.length;
  if (p === 0) return { coefficients: new Float64Array(0), residualSumOfSquares: sumOfSquares(target, 0), rankDeficient: false };
  if (rows < p) throw new RangeError(`least squares needs at least as many rows (${rows}) as columns (${p})`);
  const a = new Float64Array(rows * p); // column-major copy, overwritten by R and the Householder vectors
  for (let j = 0; j < p; j++) {
    const column = columns[j];
    if (column.length !== rows) throw new RangeError(`column ${j} has ${column.length} rows, target has ${rows}`);
    for (let i = 0; i < rows; i++) a[j * rows + i] = column[i];
  }
  const b = Float64Array.from(target as ArrayLike<number>);
  const diagonal = new Float64Array(p);
  let scale = 0;
  for (let j = 0; j < p; j++) scale = Math.max(scale, Math.sqrt(sumOfSquares(a.subarray(j * rows, (j + 1) * rows), 0)));
  const negligible = scale * rows * 2.220446049250313e-16 * 16;

  for (let k = 0; k < p; k++) {
    const offset = k * rows;
    let largest = 0;
    for (let i = k; i < rows; i++) largest = Math.max(largest, Math.abs(a[offset + i]));
    let norm = 0;
    if (largest > 0) {
      // Scaled by the largest entry so that the squares neither overflow nor underflow (Math.hypot is slow).
      let sum = 0;
      for (let i = k; i < rows; i++) sum += (a[offset + i] / largest) ** 2;
      norm = largest * Math.sqrt(sum);
    }
    if (norm <= negligible) return withoutColumn(columns, target, k);
    const alpha = a[offset + k] > 0 ? -norm : norm;
    // v = x − alpha e_k, stored in place; H = I − 2 v vᵀ / vᵀv.
    a[offset + k] -= alpha;
    let vv = 0;
    for (let i = k; i < rows; i++) vv += a[offset + i] * a[offset + i];
    for (let j = k + 1; j < p; j++) reflect(a, offset, j * rows, k, rows, vv);
    reflectVector(a, offset, b, k, rows, vv);
    diagonal[k] = alpha;
  }

  const coefficients = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let sum = b[k];
    for (let j = k + 1; j < p; j++) sum -= a[j * rows + k] * coefficients[j];
    coefficients[k] = sum / diagonal[k];
  }
  return { coefficients, residualSumOfSquares: sumOfSquares(b, p), rankDeficient: false };
}

/** A column that is (numerically) a combination of the earlier ones gets coefficient 0; the rest are re-solved. */
function withoutColumn(columns: readonly ArrayLike<number>[], target: ArrayLike<number>, dropped: number): LeastSquaresSolution {
  const reduced = solveLeastSquares(columns.filter((_, j) => j !== dropped), target);
  const coefficients = new Float64Array(columns.length);
  for (let j = 0, r = 0; j < columns.length; j++) if (j !== dropped) coefficients[j] = reduced.coefficients[r++];
  return { coefficients, residualSumOfSquares: reduced.residualSumOfSquares, rankDeficient: true };
}

function reflect(a: Float64Array, v: number, column: number, k: number, rows: number, vv: number): void {
  let dot = 0;
  for (let i = k; i < rows; i++) dot += a[v + i] * a[column + i];
  const factor = (2 * dot) / vv;
  for (let i = k; i < rows; i++) a[column + i] -= factor * a[v + i];
}

function reflectVector(a: Float64Array, v: number, b: Float64Array, k: number, rows: number, vv: number): void {
  let dot = 0;
  for (let i = k; i < rows; i++) dot += a[v + i] * b[i];
  const factor = (2 * dot) / vv;
  for (let i = k; i < rows; i++) b[i] -= factor * a[v + i];
}

function sumOfSquares(values: ArrayLike<number>, from: number): number {
  let sum = 0;
  for (let i = from; i < values.length; i++) sum += values[i] * values[i];
  return sum;
}
