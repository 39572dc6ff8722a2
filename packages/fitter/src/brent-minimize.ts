/**
 * One-dimensional minimisation on [lower, upper] by Brent's method (golden section with parabolic steps,
 * Brent 1973 ch. 5): the workhorse for profile likelihoods here, where each evaluation is cheap but the
 * answer must be accurate to ~1e-10.
 */
export interface ScalarMinimum {
  readonly x: number;
  readonly value: number;
  readonly evaluations: number;
}

export function minimizeBrent(
  f: (x: number) => number,
  lower: number,
  upper: number,
  options: { tolerance?: number; maxEvaluations?: number } = {},
): ScalarMinimum {
  if (!(lower < upper)) throw new RangeError(`minimizeBrent needs lower < upper, got [${lower}, ${upper}]`);
  const tolerance = options.tolerance ?? 1e-11;
  const maxEvaluations = options.maxEvaluations ?? 200;
  const golden = 0.381966011250105;
  let evaluations = 0;
  const evaluate = (x: number) => {
    evaluations++;
    const value = f(x);
    return Number.isNaN(value) ? Infinity : value;
  };
  let a = lower;
  let b = upper;
  let x = a + golden * (b - a);
  let w = x;
  let v = x;
  let fx = evaluate(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  while (evaluations < maxEvaluations) {
    const middle = (a + b) / 2;
    const tol1 = tolerance * Math.abs(x) + 1e-300 + tolerance;
    const tol2 = 2 * tol1;
    if (Math.abs(x - middle) <= tol2 - (b - a) / 2) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      if (Math.abs(p) < Math.abs(0.5 * q * e) && p > q * (a - x) && p < q * (b - x)) {
        e = d;
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < middle ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x < middle ? b - x : a - x;
      d = golden * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = evaluate(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w; fv = fw;
      w = x; fw = fx;
      x = u; fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w; fv = fw;
        w = u; fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u; fv = fu;
      }
    }
  }
  // Brent never evaluates the end points; a minimum on the boundary is reported there when it is better.
  for (const end of [lower, upper]) {
    const value = evaluate(end);
    if (value < fx) {
      x = end;
      fx = value;
    }
  }
  return { x, value: fx, evaluations };
}
