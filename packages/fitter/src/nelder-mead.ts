/**
 * Derivative-free minimisation by the Nelder–Mead simplex, with the dimension-adaptive coefficients of
 * Gao & Han (2012). Written here because the npm candidates do not fit: fmin 0.0.4's shrink step uses an
 * undeclared loop variable (it throws in an ES module) and optimization-js has no Nelder–Mead with tolerances.
 */
export interface NelderMeadOptions {
  /** Initial simplex edge per coordinate (default 5% of |x0_i|, or 0.05 where x0_i = 0). */
  readonly step?: readonly number[] | number;
  /** Stop when the simplex spans less than this in every coordinate… */
  readonly xTolerance?: number;
  /** …and its function values differ by less than this (absolute, plus relative to |f(best)|). */
  readonly fTolerance?: number;
  readonly maxEvaluations?: number;
}

export interface MinimizeResult {
  readonly x: Float64Array;
  readonly value: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

export function minimizeNelderMead(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: NelderMeadOptions = {},
): MinimizeResult {
  const n = start.length;
  const xTolerance = options.xTolerance ?? 1e-10;
  const fTolerance = options.fTolerance ?? 1e-14;
  const maxEvaluations = options.maxEvaluations ?? 400 * (n + 1);
  // Gao–Han coefficients reduce to the classic (1, 2, ½, ½) at n = 2; at n = 1 they would shrink to a point.
  const adaptive = n > 2;
  const reflection = 1;
  const expansion = adaptive ? 1 + 2 / n : 2;
  const contraction = adaptive ? 0.75 - 1 / (2 * n) : 0.5;
  const shrink = adaptive ? 1 - 1 / n : 0.5;

  let evaluations = 0;
  const evaluate = (x: Float64Array) => {
    evaluations++;
    const value = f(x);
    return Number.isNaN(value) ? Infinity : value;
  };

  const points: Float64Array[] = [Float64Array.from(start)];
  for (let i = 0; i < n; i++) {
    const point = Float64Array.from(start);
    const given = typeof options.step === 'number' ? options.step : options.step?.[i];
    point[i] += given ?? (start[i] !== 0 ? 0.05 * Math.abs(start[i]) : 0.05);
    points.push(point);
  }
  const values = points.map(evaluate);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (coefficient: number) => {
    const worst = points[order[n]];
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = centroid[i] + coefficient * (centroid[i] - worst[i]);
    return x;
  };

  let converged = false;
  while (evaluations < maxEvaluations) {
    order.sort((a, b) => values[a] - values[b]);
    const best = points[order[0]];
    let spread = 0;
    for (let k = 1; k <= n; k++) {
      const point = points[order[k]];
      for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(point[i] - best[i]));
    }
    const valueSpread = values[order[n]] - values[order[0]];
    if (spread <= xTolerance && valueSpread <= fTolerance * (1 + Math.abs(values[order[0]]))) {
      converged = true;
      break;
    }
    if (spread <= xTolerance * 1e-3) {
      // The simplex has collapsed onto a flat direction: nothing more can be learned.
      converged = true;
      break;
    }

    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const point = points[order[k]];
      for (let i = 0; i < n; i++) centroid[i] += point[i] / n;
    }
    const worstIndex = order[n];
    const reflected = trial(reflection);
    const reflectedValue = evaluate(reflected);
    if (reflectedValue < values[order[0]]) {
      const expanded = trial(expansion);
      const expandedValue = evaluate(expanded);
      if (expandedValue < reflectedValue) replace(worstIndex, expanded, expandedValue);
      else replace(worstIndex, reflected, reflectedValue);
      continue;
    }
    if (reflectedValue < values[order[n - 1]]) {
      replace(worstIndex, reflected, reflectedValue);
      continue;
    }
    const outside = reflectedValue < values[worstIndex];
    const contracted = trial(outside ? contraction * reflection : -contraction);
    const contractedValue = evaluate(contracted);
    if (contractedValue < (outside ? reflectedValue : values[worstIndex])) {
      replace(worstIndex, contracted, contractedValue);
      continue;
    }
    const bestPoint = points[order[0]];
    for (let k = 1; k <= n; k++) {
      const index = order[k];
      const point = points[index];
      for (let i = 0; i < n; i++) point[i] = bestPoint[i] + shrink * (point[i] - bestPoint[i]);
      values[index] = evaluate(point);
    }
  }

  order.sort((a, b) => values[a] - values[b]);
  return { x: points[order[0]], value: values[order[0]], evaluations, converged };

  function replace(index: number, x: Float64Array, value: number): void {
    points[index] = x;
    values[index] = value;
  }
}
