import type { MinimizeResult } from './nelder-mead.ts';

/**
 * Quasi-Newton minimisation (BFGS, inverse-Hessian form) with a strong-Wolfe line search (Nocedal & Wright,
 * Algorithms 3.5/3.6). For the handful of parameters fitted here full BFGS is as cheap as L-BFGS. Written
 * here because optimization-js's L-BFGS has no line search (a fixed "magic" step) and fmin has no BFGS.
 */
export interface BfgsOptions {
  /** Stop when max |∂f/∂x_i| falls below this. */
  readonly gradientTolerance?: number;
  /** Stop when an iteration lowers f by less than this, relative to max(|f|, 1). */
  readonly fTolerance?: number;
  readonly maxIterations?: number;
}

/** f and its gradient at x: returns f, writes ∇f into `gradient`. */
export type ObjectiveWithGradient = (x: Float64Array, gradient: Float64Array) => number;

export function minimizeBfgs(f: ObjectiveWithGradient, start: ArrayLike<number>, options: BfgsOptions = {}): MinimizeResult {
  const n = start.length;
  const gradientTolerance = options.gradientTolerance ?? 1e-10;
  const fTolerance = options.fTolerance ?? 1e-15;
  const maxIterations = options.maxIterations ?? 200 * n;
  let evaluations = 0;
  const evaluate = (x: Float64Array, g: Float64Array) => {
    evaluations++;
    const value = f(x, g);
    return Number.isFinite(value) ? value : Infinity;
  };

  let x: Float64Array = Float64Array.from(start);
  let g: Float64Array = new Float64Array(n);
  let value = evaluate(x, g);
  if (!Number.isFinite(value)) return { x, value, evaluations, converged: false };
  const h = identity(n);
  const direction = new Float64Array(n);
  let converged = false;
  let firstStep = true;
  let scaled = false;

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(g) <= gradientTolerance) {
      converged = true;
      break;
    }
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum -= h[i * n + j] * g[j];
      direction[i] = sum;
    }
    let slope = dot(direction, g);
    if (!(slope < 0)) {
      // Lost descent (round-off in H): restart from steepest descent.
      resetToIdentity(h, n);
      scaled = false;
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      slope = -dot(g, g);
    }
    // The first step has no curvature information: keep it to a unit-length move.
    const initial = firstStep ? Math.min(1, 1 / Math.sqrt(dot(direction, direction))) : 1;
    const step = wolfeLineSearch(evaluate, x, value, g, direction, slope, initial);
    if (!step) {
      if (firstStep) break;
      resetToIdentity(h, n);
      firstStep = true;
      scaled = false;
      continue;
    }
    firstStep = false;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = step.x[i] - x[i];
      y[i] = step.gradient[i] - g[i];
    }
    const decrease = value - step.value;
    x = step.x;
    g = step.gradient;
    value = step.value;
    const sy = dot(s, y);
    if (sy > 1e-300) {
      // Before the first update, scale H₀ = I to the curvature just seen (Nocedal & Wright eq. 6.20).
      if (!scaled) {
        resetToIdentity(h, n);
        const factor = sy / dot(y, y);
        for (let i = 0; i < n; i++) h[i * n + i] = factor;
        scaled = true;
      }
      updateInverseHessian(h, s, y, sy, n);
    }
    if (decrease <= fTolerance * Math.max(Math.abs(value), 1)) {
      converged = true;
      break;
    }
  }
  return { x, value, evaluations, converged };
}

interface LinePoint {
  readonly x: Float64Array;
  readonly value: number;
  readonly gradient: Float64Array;
}

/** A step length satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9), or undefined. */
function wolfeLineSearch(
  evaluate: (x: Float64Array, g: Float64Array) => number,
  x: Float64Array,
  value: number,
  gradient: Float64Array,
  direction: Float64Array,
  slope: number,
  initial: number,
): LinePoint | undefined {
  const c1 = 1e-4;
  const c2 = 0.9;
  const n = x.length;
  const at = (t: number): LinePoint & { slope: number } => {
    const point = new Float64Array(n);
    for (let i = 0; i < n; i++) point[i] = x[i] + t * direction[i];
    const g = new Float64Array(n);
    const v = evaluate(point, g);
    return { x: point, value: v, gradient: g, slope: Number.isFinite(v) ? dot(g, direction) : NaN };
  };
  let previousT = 0;
  let previousValue = value;
  let previousSlope = slope;
  let t = initial;
  let best: LinePoint | undefined;
  for (let i = 0; i < 40; i++) {
    const point = at(t);
    if (!Number.isFinite(point.value) || point.value > value + c1 * t * slope || (i > 0 && point.value >= previousValue)) {
      return zoom(previousT, previousValue, previousSlope, t, point.value, point.slope) ?? best;
    }
    if (Math.abs(point.slope) <= -c2 * slope) return point;
    best = point;
    if (point.slope >= 0) return zoom(t, point.value, point.slope, previousT, previousValue, previousSlope) ?? best;
    previousT = t;
    previousValue = point.value;
    previousSlope = point.slope;
    t *= 2;
  }
  return best;

  function zoom(lo: number, loValue: number, loSlope: number, hi: number, hiValue: number, hiSlope: number): LinePoint | undefined {
    let fallback: LinePoint | undefined;
    for (let i = 0; i < 50; i++) {
      const t = interpolate(lo, loValue, loSlope, hi, hiValue, hiSlope);
      const point = at(t);
      if (!Number.isFinite(point.value) || point.value > value + c1 * t * slope || point.value >= loValue) {
        hi = t;
        hiValue = point.value;
        hiSlope = point.slope;
      } else {
        if (Math.abs(point.slope) <= -c2 * slope) return point;
        fallback = point; // sufficient decrease holds: usable if the curvature condition never does
        if (point.slope * (hi - lo) >= 0) {
          hi = lo;
          hiValue = loValue;
          hiSlope = loSlope;
        }
        lo = t;
        loValue = point.value;
        loSlope = point.slope;
      }
      if (Math.abs(hi - lo) <= 1e-16 * Math.max(Math.abs(lo), 1)) break;
    }
    return fallback;
  }
}

/** Minimiser of the cubic through both ends (values and slopes), kept well inside the interval; else bisection. */
function interpolate(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const lo = Math.min(a, b);
  const width = Math.abs(b - a);
  if (Number.isFinite(fb) && Number.isFinite(db)) {
    const d1 = da + db - (3 * (fa - fb)) / (a - b);
    const discriminant = d1 * d1 - da * db;
    if (discriminant >= 0) {
      const d2 = Math.sign(b - a) * Math.sqrt(discriminant);
      const t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
      if (Number.isFinite(t) && t > lo + 0.1 * width && t < lo + 0.9 * width) return t;
    }
  }
  return (a + b) / 2;
}

function updateInverseHessian(h: Float64Array, s: Float64Array, y: Float64Array, sy: number, n: number): void {
  const hy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += h[i * n + j] * y[j];
    hy[i] = sum;
  }
  const yhy = dot(y, hy);
  const rho = 1 / sy;
  // H ← H − ρ(Hy sᵀ + s yᵀH) + (ρ² yᵀHy + ρ) s sᵀ
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      h[i * n + j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
    }
  }
}

function identity(n: number): Float64Array {
  const h = new Float64Array(n * n);
  resetToIdentity(h, n);
  return h;
}

function resetToIdentity(h: Float64Array, n: number): void {
  h.fill(0);
  for (let i = 0; i < n; i++) h[i * n + i] = 1;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function maxAbs(a: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}
