/**
 * How well a fitted curve describes the points: R² on the original scale and the RMSE of log residuals
 * (the scale on which scaling-law papers compare fits, since losses span decades).
 */
export interface GoodnessOfFit {
  readonly n: number;
  /** 1 − Σ(y − ŷ)² / Σ(y − ȳ)². */
  readonly rSquared: number;
  /** √(mean (y − ŷ)²). */
  readonly rmse: number;
  /** √(mean (log y − log ŷ)²); NaN when some y or ŷ is not positive. */
  readonly rmseLog: number;
}

export function goodnessOfFit(observed: ArrayLike<number>, predicted: ArrayLike<number>): GoodnessOfFit {
  const n = observed.length;
  if (predicted.length !== n) throw new RangeError('observed and predicted differ in length');
  let mean = 0;
  for (let i = 0; i < n; i++) mean += observed[i];
  mean /= n;
  let residual = 0;
  let total = 0;
  let logResidual = 0;
  for (let i = 0; i < n; i++) {
    residual += (observed[i] - predicted[i]) ** 2;
    total += (observed[i] - mean) ** 2;
    logResidual += observed[i] > 0 && predicted[i] > 0 ? Math.log(observed[i] / predicted[i]) ** 2 : NaN;
  }
  return {
    n,
    rSquared: total > 0 ? 1 - residual / total : NaN,
    rmse: Math.sqrt(residual / n),
    rmseLog: Math.sqrt(logResidual / n),
  };
}
