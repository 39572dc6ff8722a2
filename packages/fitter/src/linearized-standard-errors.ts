/**
 * Standard errors of a least-squares fit from its linearisation: with J the Jacobian of the residual vector r
 * at the optimum θ̂, the heteroscedasticity-consistent sandwich cov(θ̂) ≈ n/(n − p) · (JᵀJ)⁻¹ Jᵀdiag(r²)J (JᵀJ)⁻¹
 * (White 1980; MacKinnon & White's HC1). The sandwich, not s²(JᵀJ)⁻¹, because the points are resampled in
 * pairs and the noise of measured losses is rarely constant on the fitted scale (multiplicative noise under
 * absolute residuals): bootstrap-t with the homoscedastic SE held the truth in only 6 of 10 seeds there.
 * The studentized bootstrap divides each resample's deviation by this SE of the same resample. J is taken by
 * central differences (the models here are a line each; analytic Jacobians per model and residual scale
 * would triple the code for no gain at p ≤ 5). Returns NaN for every parameter when JᵀJ is singular or n ≤ p.
 */
export function linearizedStandardErrors(
  theta: readonly number[],
  residuals: (theta: readonly number[]) => Float64Array,
): Float64Array {
  const p = theta.length;
  const at = residuals(theta);
  const n = at.length;
  const missing = new Float64Array(p).fill(NaN);
  if (n <= p) return missing;
  const columns: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    const h = 1e-6 * Math.max(Math.abs(theta[j]), 1e-3);
    const up = residuals(theta.map((v, k) => (k === j ? v + h : v)));
    const down = residuals(theta.map((v, k) => (k === j ? v - h : v)));
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = (up[i] - down[i]) / (2 * h);
    columns.push(column);
  }
  // Unit-norm columns keep JᵀJ well scaled (A ~ 10^3 beside alpha ~ 0.5); the result is unscaled at the end.
  const norms = columns.map((column) => Math.sqrt(column.reduce((s, v) => s + v * v, 0)));
  if (norms.some((norm) => !(norm > 0) || !Number.isFinite(norm))) return missing;
  const gram = new Float64Array(p * p);
  const meat = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k <= j; k++) {
    let dot = 0;
    let weighted = 0;
    for (let i = 0; i < n; i++) {
      const product = columns[j][i] * columns[k][i];
      dot += product;
      weighted += product * at[i] * at[i];
    }
    gram[j * p + k] = gram[k * p + j] = dot / (norms[j] * norms[k]);
    meat[j * p + k] = meat[k * p + j] = weighted / (norms[j] * norms[k]);
  }
  const inverse = symmetricInverse(gram, p);
  if (!inverse) return missing;
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    // (G⁻¹ M G⁻¹)_jj = g_jᵀ M g_j with g_j the j-th column of G⁻¹.
    let sum = 0;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) sum += inverse[a * p + j] * meat[a * p + b] * inverse[b * p + j];
    out[j] = Math.sqrt((n / (n - p)) * sum) / norms[j];
  }
  return out;
}

/** M⁻¹ for a symmetric positive definite p×p M (row-major), by Cholesky; undefined if not SPD. */
function symmetricInverse(m: Float64Array, p: number): Float64Array | undefined {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let diagonal = m[j * p + j];
    for (let k = 0; k < j; k++) diagonal -= l[j * p + k] ** 2;
    if (!(diagonal > 1e-12)) return undefined;
    l[j * p + j] = Math.sqrt(diagonal);
    for (let i = j + 1; i < p; i++) {
      let sum = m[i * p + j];
      for (let k = 0; k < j; k++) sum -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = sum / l[j * p + j];
    }
  }
  // L⁻¹ column by column (forward substitution of L z = e_j), then M⁻¹ = L⁻ᵀ L⁻¹.
  const li = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    for (let i = j; i < p; i++) {
      let sum = i === j ? 1 : 0;
      for (let k = j; k < i; k++) sum -= l[i * p + k] * li[k * p + j];
      li[i * p + j] = sum / l[i * p + i];
    }
  }
  const inverse = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) {
    let sum = 0;
    for (let i = Math.max(a, b); i < p; i++) sum += li[i * p + a] * li[i * p + b];
    inverse[a * p + b] = sum;
  }
  return inverse;
}
