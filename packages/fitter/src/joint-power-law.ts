import { checkPoints, defaultExponentRange, defaultResidualScale, fixedOffsets, relativeWeights, reportedFixedE, type ResidualScale } from './saturating-power-law.ts';
import { fitVariableProjection } from './variable-projection.ts';

/**
 * The joint scaling law y = E + A N^(−alpha) + B D^(−beta) (theory §4: data N and capacity C; Chinchilla:
 * parameters N and tokens D) by variable projection: E, A, B ≥ 0 by NNLS for each (alpha, beta), the
 * exponents on a 2-D grid, then Nelder–Mead.
 */
export interface JointPowerLawOptions {
  readonly fixE?: number | ArrayLike<number>;
  /** Default: `defaultResidualScale(N, y, D)`. */
  readonly residuals?: ResidualScale;
  /** Search ranges of alpha and beta (default [0.01, 4] each). */
  readonly alphaRange?: readonly [number, number];
  readonly betaRange?: readonly [number, number];
  /** Grid points per exponent (default 60: 3600 NNLS solves). */
  readonly gridPoints?: number;
  readonly starts?: readonly (readonly [number, number])[];
}

export interface JointPowerLawFit {
  /** E, A, B, alpha, beta. With a per-point fixE, E is its mean. */
  readonly parameters: Readonly<Record<string, number>>;
  readonly fitted: Float64Array;
  readonly residualSumOfSquares: number;
  readonly residuals: ResidualScale;
  /** Names of the exponents that ended on an end of their search range. */
  readonly onGridEdge: readonly string[];
}

export function fitJointPowerLaw(
  n: ArrayLike<number>,
  d: ArrayLike<number>,
  y: ArrayLike<number>,
  options: JointPowerLawOptions = {},
): JointPowerLawFit {
  const count = checkPoints(n, y, d);
  const fixedE = fixedOffsets(options.fixE, count);
  const target = new Float64Array(count);
  for (let i = 0; i < count; i++) target[i] = y[i] - (fixedE ? fixedE[i] : 0);
  const logN = Float64Array.from(n as ArrayLike<number>, Math.log);
  const logD = Float64Array.from(d as ArrayLike<number>, Math.log);
  const powers = (logs: Float64Array, exponent: number) => {
    const column = new Float64Array(count);
    for (let i = 0; i < count; i++) column[i] = Math.exp(-exponent * logs[i]);
    return column;
  };
  const residuals = options.residuals ?? defaultResidualScale(n, y, d);
  const fit = fitVariableProjection({
    target,
    weights: relativeWeights(residuals, y),
    ...(residuals === 'log' ? { logScale: { y, offset: fixedE } } : {}),
    ranges: [options.alphaRange ?? defaultExponentRange, options.betaRange ?? defaultExponentRange],
    gridPoints: options.gridPoints ?? 60,
    starts: options.starts,
    basis: ([alpha, beta]) => {
      const columns = [powers(logN, alpha), powers(logD, beta)];
      if (!fixedE) columns.unshift(new Float64Array(count).fill(1));
      return columns;
    },
  });
  const c = fit.coefficients;
  const offset = fixedE ? 0 : 1;
  const E = fixedE ? reportedFixedE(options.fixE!) : c[0];
  const [A, B] = [c[offset], c[offset + 1]];
  const [alpha, beta] = fit.exponents;
  const fitted = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    fitted[i] = (fixedE ? fixedE[i] : E) + A * Math.exp(-alpha * logN[i]) + B * Math.exp(-beta * logD[i]);
  }
  return {
    parameters: { E, A, B, alpha, beta },
    fitted,
    residualSumOfSquares: fit.residualSumOfSquares,
    residuals,
    onGridEdge: (['alpha', 'beta'] as const).filter((_, k) => fit.onGridEdge[k]),
  };
}

/** ŷ = E + A N^−alpha + B D^−beta. */
export function evaluateJointPowerLaw(parameters: Readonly<Record<string, number>>, n: number, d: number): number {
  return parameters.E + parameters.A * n ** -parameters.alpha + parameters.B * d ** -parameters.beta;
}
