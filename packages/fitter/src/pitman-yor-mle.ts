import { logGamma } from '@kolmo/core';
import { minimizeBrent } from './brent-minimize.ts';

/**
 * Pitman–Yor (α, β) by maximum likelihood on the exact EPPF of a partition (theory §3, §7): with n draws in K
 * blocks of sizes m_k,
 *   log P = Σ_{i=1}^{K−1} log(β + iα) − log (β+1)_{n−1} + Σ_k log (1−α)_{m_k−1},
 * maximised over α ∈ [0, 1), β > −α. Slopes of rank or Heaps plots are biased; this is not.
 */
export interface BlockSizeSummary {
  /** Draws n = Σ m_k. */
  readonly draws: number;
  /** Blocks K. */
  readonly blocks: number;
  /** Distinct block sizes, ascending, and how many blocks have each. */
  readonly sizes: Float64Array;
  readonly counts: Float64Array;
}

export function summarizeBlockSizes(blockSizes: ArrayLike<number>): BlockSizeSummary {
  const frequency = new Map<number, number>();
  let draws = 0;
  for (let k = 0; k < blockSizes.length; k++) {
    const m = blockSizes[k];
    if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`block sizes must be positive integers, got ${m} at ${k}`);
    frequency.set(m, (frequency.get(m) ?? 0) + 1);
    draws += m;
  }
  const sizes = Float64Array.from(frequency.keys()).sort();
  return { draws, blocks: blockSizes.length, sizes, counts: Float64Array.from(sizes, (m) => frequency.get(m)!) };
}

/** The exact EPPF log-probability (nats) of a partition with the given block sizes (or their summary). */
export function pitmanYorLogLikelihood(blockSizes: ArrayLike<number> | BlockSizeSummary, discount: number, concentration: number): number {
  const summary = isSummary(blockSizes) ? blockSizes : summarizeBlockSizes(blockSizes);
  const { draws: n, blocks: K, sizes, counts } = summary;
  const alpha = discount;
  const beta = concentration;
  if (!(alpha >= 0 && alpha < 1) || !(beta > -alpha)) return -Infinity;
  let value = 0;
  if (K > 1) {
    if (alpha === 0 || K - 1 <= 5000) {
      // Direct sum: exact, and well conditioned for α → 0 where β/α explodes.
      for (let i = 1; i < K; i++) value += Math.log(beta + i * alpha);
    } else {
      value += (K - 1) * Math.log(alpha) + logGamma(beta / alpha + K) - logGamma(beta / alpha + 1);
    }
  }
  value -= logGamma(beta + n) - logGamma(beta + 1);
  const base = logGamma(1 - alpha);
  for (let j = 0; j < sizes.length; j++) if (sizes[j] > 1) value += counts[j] * (logGamma(sizes[j] - alpha) - base);
  return value;
}

export interface PitmanYorFit {
  /** α̂. */
  readonly discount: number;
  /** β̂. */
  readonly concentration: number;
  readonly logLikelihood: number;
  /** From the observed information (numeric Hessian). On the boundary α̂ = 0, α's is NaN and β's is conditional on α = 0. */
  readonly standardErrors: { readonly discount: number; readonly concentration: number };
  readonly draws: number;
  readonly blocks: number;
  readonly warnings: readonly string[];
}

/**
 * Maximises the EPPF likelihood: for each α the likelihood is maximised over u = log(β + α) (a grid, then
 * Brent), and the resulting profile over α likewise, so neither a bad start nor the β > −α constraint can trap it.
 */
export function fitPitmanYor(blockSizes: ArrayLike<number> | BlockSizeSummary): PitmanYorFit {
  const summary = isSummary(blockSizes) ? blockSizes : summarizeBlockSizes(blockSizes);
  const { draws, blocks } = summary;
  if (draws < 2) throw new RangeError('fitting Pitman–Yor parameters needs at least 2 draws');
  const warnings: string[] = [];
  const negative = (alpha: number, u: number) => -pitmanYorLogLikelihood(summary, alpha, Math.exp(u) - alpha);
  const uLow = Math.log(1e-8);
  const uHigh = Math.log(1e12);

  const profile = (alpha: number) => {
    const { best } = gridThenBrent((u) => negative(alpha, u), uLow, uHigh, 36);
    return best;
  };
  const alphaHigh = 1 - 1e-9;
  const { best: alphaBest } = gridThenBrent((alpha) => profile(alpha).value, 0, alphaHigh, 50);
  const alpha = alphaBest.x;
  const inner = profile(alpha);
  const beta = Math.exp(inner.x) - alpha;
  const logLikelihood = -inner.value;

  if (blocks === 1) warnings.push('a single block: the likelihood grows without bound as β → −α; the estimate is not meaningful');
  if (blocks === draws) warnings.push('every block is a singleton: α → 1 or β → ∞ fit equally well; the estimate is not meaningful');
  if (alpha <= 1e-9) warnings.push('α̂ = 0 (boundary): the data look like a Dirichlet process');
  if (alpha >= alphaHigh - 1e-9) warnings.push('α̂ is at the upper boundary 1');
  if (inner.x <= uLow + 1e-6 || inner.x >= uHigh - 1e-6) warnings.push('β̂ sits on the edge of its search range');

  return {
    discount: alpha,
    concentration: beta,
    logLikelihood,
    standardErrors: observedInformationErrors(summary, alpha, beta),
    draws,
    blocks,
    warnings,
  };
}

/** Evaluates f on an even grid, then polishes the best cell with Brent. */
function gridThenBrent(f: (x: number) => number, low: number, high: number, points: number) {
  const step = (high - low) / (points - 1);
  let bestIndex = 0;
  let bestValue = Infinity;
  for (let i = 0; i < points; i++) {
    const value = f(low + i * step);
    if (value < bestValue) {
      bestValue = value;
      bestIndex = i;
    }
  }
  const from = low + Math.max(0, bestIndex - 1) * step;
  const to = low + Math.min(points - 1, bestIndex + 1) * step;
  const polished = minimizeBrent(f, from, to, { tolerance: 1e-12 });
  const best = polished.value <= bestValue ? polished : { x: low + bestIndex * step, value: bestValue, evaluations: 0 };
  return { best };
}

function observedInformationErrors(summary: BlockSizeSummary, alpha: number, beta: number) {
  const f = (a: number, b: number) => pitmanYorLogLikelihood(summary, a, b);
  const ha = Math.max(1e-5, 1e-4 * alpha);
  const hb = Math.max(1e-5, 1e-4 * Math.abs(beta));
  const f0 = f(alpha, beta);
  if (alpha - ha <= 0 || alpha + ha >= 1 || beta - hb <= -(alpha + ha)) {
    const curvature = beta - hb > -alpha ? (f(alpha, beta + hb) - 2 * f0 + f(alpha, beta - hb)) / (hb * hb) : NaN;
    return { discount: NaN, concentration: curvature < 0 ? Math.sqrt(-1 / curvature) : NaN };
  }
  const faa = (f(alpha + ha, beta) - 2 * f0 + f(alpha - ha, beta)) / (ha * ha);
  const fbb = (f(alpha, beta + hb) - 2 * f0 + f(alpha, beta - hb)) / (hb * hb);
  const fab = (f(alpha + ha, beta + hb) - f(alpha + ha, beta - hb) - f(alpha - ha, beta + hb) + f(alpha - ha, beta - hb)) / (4 * ha * hb);
  // Covariance = (−H)⁻¹.
  const determinant = faa * fbb - fab * fab;
  if (!(determinant > 0) || !(faa < 0)) return { discount: NaN, concentration: NaN };
  return { discount: Math.sqrt(-fbb / determinant), concentration: Math.sqrt(-faa / determinant) };
}

function isSummary(value: ArrayLike<number> | BlockSizeSummary): value is BlockSizeSummary {
  return (value as BlockSizeSummary).sizes instanceof Float64Array && typeof (value as BlockSizeSummary).draws === 'number';
}
