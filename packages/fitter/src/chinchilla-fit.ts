import { minimizeBfgs } from './bfgs.ts';
import { checkPoints, fixedOffsets, reportedFixedE } from './saturating-power-law.ts';

/**
 * Hoffmann et al. (2022) Approach 3, as replicated by Besiroglu et al. (2024): fit
 *   L(N, D) = E + A N^(−alpha) + B D^(−beta)
 * through θ = (a, b, e, alpha, beta) with log L̂ = LSE(a − alpha log N, b − beta log D, e), minimising the
 * SUM (not mean) of Huber_δ(log L̂ − log L) with δ = 1e-3, by BFGS from a grid of starts.
 * E = e^e, A = e^a, B = e^b.
 */
export interface ChinchillaOptions {
  /** Huber threshold on log residuals (default 1e-3, as in the paper). */
  readonly huberDelta?: number;
  /** A known E: the e coordinate is then fixed at log E (one number, or one per point). */
  readonly fixE?: number | ArrayLike<number>;
  /** The grid of starts, per coordinate (default Hoffmann's: 6·6·5·5·5 = 4500 points). */
  readonly grid?: Partial<Record<'a' | 'b' | 'e' | 'alpha' | 'beta', readonly number[]>>;
  /** BFGS runs from this many of the best grid starts ('all' runs every start, as the paper did; default 20;
   *  0 skips the grid and runs from `starts` only). */
  readonly refine?: number | 'all';
  /** Further starts θ = [a, b, e, alpha, beta] (e.g. the full-data optimum for a bootstrap resample). */
  readonly starts?: readonly (readonly number[])[];
}

export interface ChinchillaFit {
  /** E, A, B, alpha, beta. */
  readonly parameters: Readonly<Record<string, number>>;
  /** The optimum in the fitted coordinates [a, b, e, alpha, beta]. */
  readonly theta: readonly number[];
  /** Σ Huber_δ(log residual) at the optimum. */
  readonly objective: number;
  readonly fitted: Float64Array;
  /** The grid starts BFGS ran from, best grid value first, as θ = [a, b, e, alpha, beta]. */
  readonly refinedStarts: readonly (readonly number[])[];
}

export const hoffmannGrid = {
  a: [0, 5, 10, 15, 20, 25],
  b: [0, 5, 10, 15, 20, 25],
  e: [-1, -0.5, 0, 0.5, 1],
  alpha: [0, 0.5, 1, 1.5, 2],
  beta: [0, 0.5, 1, 1.5, 2],
} as const;

export function fitChinchilla(
  n: ArrayLike<number>,
  d: ArrayLike<number>,
  y: ArrayLike<number>,
  options: ChinchillaOptions = {},
): ChinchillaFit {
  const count = checkPoints(n, y, d);
  for (let i = 0; i < count; i++) if (!(y[i] > 0)) throw new RangeError(`the Chinchilla objective needs y > 0, got ${y[i]} at point ${i}`);
  const delta = options.huberDelta ?? 1e-3;
  const logN = Float64Array.from(n as ArrayLike<number>, Math.log);
  const logD = Float64Array.from(d as ArrayLike<number>, Math.log);
  const logY = Float64Array.from(y as ArrayLike<number>, Math.log);
  const fixed = fixedOffsets(options.fixE, count);
  const logE = fixed ? fixed.map(Math.log) : undefined;
  if (logE?.some((v) => !Number.isFinite(v))) throw new RangeError('a fixed E must be positive for the Chinchilla objective');

  // Free coordinates: [a, b, e, alpha, beta], or [a, b, alpha, beta] when E is fixed.
  const free = logE ? 4 : 5;
  const expand = (x: ArrayLike<number>) => (logE ? [x[0], x[1], NaN, x[2], x[3]] : [x[0], x[1], x[2], x[3], x[4]]);
  const objective = (x: Float64Array, gradient: Float64Array) => chinchillaLoss(expand(x), logN, logD, logY, delta, logE, gradient);

  const grid = { ...hoffmannGrid, ...options.grid };
  const starts: { x: Float64Array; value: number }[] = [];
  const scratch = new Float64Array(free);
  if (options.refine !== 0) for (const a of grid.a) for (const b of grid.b) for (const e of logE ? [NaN] : grid.e) for (const alpha of grid.alpha) for (const beta of grid.beta) {
    const x = Float64Array.from(logE ? [a, b, alpha, beta] : [a, b, e, alpha, beta]);
    starts.push({ x, value: objective(x, scratch) });
  }
  starts.sort((p, q) => p.value - q.value);
  const refine = options.refine === 'all' ? starts.length : Math.min(options.refine ?? 20, starts.length);
  const candidates = starts.slice(0, refine).map((s) => s.x);
  const refinedStarts = candidates.map(expand);
  if (candidates.length === 0 && !options.starts?.length) throw new RangeError('fitChinchilla needs grid starts or explicit starts');
  for (const start of options.starts ?? []) candidates.push(Float64Array.from(logE ? [start[0], start[1], start[3], start[4]] : start));

  let best = { x: candidates[0], value: Infinity };
  for (const start of candidates) {
    const result = minimizeBfgs(objective, start, { gradientTolerance: 1e-12, fTolerance: 1e-16, maxIterations: 2000 });
    if (result.value < best.value) best = { x: result.x, value: result.value };
  }
  const [a, b, e, alpha, beta] = expand(best.x);
  const fitted = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    fitted[i] = Math.exp(a - alpha * logN[i]) + Math.exp(b - beta * logD[i]) + Math.exp(logE ? logE[i] : e);
  }
  const E = logE ? reportedFixedE(options.fixE!) : Math.exp(e);
  return {
    parameters: { E, A: Math.exp(a), B: Math.exp(b), alpha, beta },
    theta: [a, b, logE ? Math.log(E) : e, alpha, beta],
    objective: best.value,
    fitted,
    refinedStarts: refinedStarts.map((theta) => (logE ? [theta[0], theta[1], Math.log(E), theta[3], theta[4]] : theta)),
  };
}

/**
 * Σ_i Huber_δ(LSE(a − alpha log N_i, b − beta log D_i, e) − log y_i), and its gradient (written into
 * `gradient` in the free coordinates: [a, b, e, alpha, beta], without e when `logE` fixes it per point).
 */
export function chinchillaLoss(
  theta: readonly number[],
  logN: Float64Array,
  logD: Float64Array,
  logY: Float64Array,
  delta: number,
  logE?: Float64Array,
  gradient?: Float64Array,
): number {
  const [a, b, e, alpha, beta] = theta;
  let total = 0;
  let ga = 0, gb = 0, ge = 0, gAlpha = 0, gBeta = 0;
  for (let i = 0; i < logY.length; i++) {
    const u = a - alpha * logN[i];
    const v = b - beta * logD[i];
    const w = logE ? logE[i] : e;
    const top = Math.max(u, v, w);
    const pu = Math.exp(u - top);
    const pv = Math.exp(v - top);
    const pw = Math.exp(w - top);
    const sum = pu + pv + pw;
    const r = top + Math.log(sum) - logY[i];
    const absolute = Math.abs(r);
    total += absolute <= delta ? 0.5 * r * r : delta * (absolute - 0.5 * delta);
    if (gradient) {
      const psi = absolute <= delta ? r : delta * Math.sign(r);
      const wu = (psi * pu) / sum;
      const wv = (psi * pv) / sum;
      ga += wu;
      gb += wv;
      ge += (psi * pw) / sum;
      gAlpha -= wu * logN[i];
      gBeta -= wv * logD[i];
    }
  }
  if (gradient) {
    if (logE) gradient.set([ga, gb, gAlpha, gBeta]);
    else gradient.set([ga, gb, ge, gAlpha, gBeta]);
  }
  return total;
}
