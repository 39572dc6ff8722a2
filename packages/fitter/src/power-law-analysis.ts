import { gather } from './bootstrap.ts';
import { fitStandardErrors } from './fit-standard-errors.ts';
import { goodnessOfFit } from './goodness-of-fit.ts';
import { bootstrapScalingLaw, defaultIntervalMethod, pointEstimateWarnings, type ScalingLawFitResult, type UncertaintyOptions } from './scaling-law-report.ts';
import {
  defaultExponentRange,
  fitSaturatingPowerLaw,
  fixedOffsets,
  type SaturatingPowerLawFit,
  type SaturatingPowerLawOptions,
} from './saturating-power-law.ts';

export interface PowerLawAnalysisOptions extends SaturatingPowerLawOptions {
  /** Bootstrap intervals; omitted or false: the point estimate only. */
  readonly bootstrap?: UncertaintyOptions | false;
  /** Grid points for each bootstrap resample (default ¼ of gridPoints, ≥ 20); it also starts from the full-data optimum. */
  readonly resampleGridPoints?: number;
}

/**
 * A saturating power law fitted and reported: parameters, bootstrap intervals (studentized by default;
 * resampling points or groups), R² and log-RMSE, the residual scale, and warnings (exponent on the grid edge,
 * vanished terms, failed resamples).
 */
export function analyzePowerLaw(x: ArrayLike<number>, y: ArrayLike<number>, options: PowerLawAnalysisOptions = {}): ScalingLawFitResult {
  const { bootstrap: uncertainty, resampleGridPoints, ...fitOptions } = options;
  const fit = fitSaturatingPowerLaw(x, y, fitOptions);
  const range = fitOptions.exponentRange ?? defaultExponentRange;
  const fixed = fitOptions.fixE === undefined ? [] : ['E'];
  const terms: [string, string][] = [['A', 'alpha']];
  const warnings = pointEstimateWarnings(
    fit.parameters,
    fit.onGridEdge ? ['alpha'] : [],
    { alpha: range },
    terms,
    x.length,
    Object.keys(fit.parameters).length - fixed.length,
  );
  let intervals: Record<string, readonly [number, number]> | undefined;
  let standardErrors: Record<string, number> | undefined;
  let summary: ScalingLawFitResult['bootstrap'];
  if (uncertainty) {
    const fixE = fitOptions.fixE;
    const interval = uncertainty.interval ?? defaultIntervalMethod(fit.residuals, uncertainty.groups);
    const free = Object.keys(fit.parameters).filter((name) => !fixed.includes(name));
    const errorsOf = (result: SaturatingPowerLawFit, xs: ArrayLike<number>, ys: ArrayLike<number>, fixedE: Float64Array | undefined) =>
      interval === 'percentile'
        ? undefined
        : fitStandardErrors(result.parameters, free, ys, result.residuals, (p, i) => (fixedE ? fixedE[i] : p.E) + p.A * xs[i] ** -p.alpha + (p.B ?? 0) / xs[i]);
    const bounds = { E: [0, Infinity], A: [0, Infinity], B: [0, Infinity], alpha: range } as const;
    const outcome = bootstrapScalingLaw(
      x.length,
      (indices) => {
        const xs = gather(x, indices);
        const ys = gather(y, indices);
        const resampledE = typeof fixE === 'number' || fixE === undefined ? fixE : gather(fixE, indices);
        const resample = fitSaturatingPowerLaw(xs, ys, {
          ...fitOptions,
          residuals: fit.residuals,
          fixE: resampledE,
          gridPoints: resampleGridPoints ?? Math.max(20, Math.ceil((fitOptions.gridPoints ?? 200) / 4)),
          starts: [fit.parameters.alpha],
        });
        return {
          parameters: resample.parameters,
          onGridEdge: resample.onGridEdge ? ['alpha'] : [],
          standardErrors: errorsOf(resample, xs, ys, fixedOffsets(resampledE, xs.length)),
        };
      },
      { ...uncertainty, interval },
      fixed,
      { parameters: fit.parameters, onGridEdge: [], standardErrors: errorsOf(fit, x, y, fixedOffsets(fixE, x.length)) },
      bounds,
    );
    intervals = outcome.result.intervals;
    standardErrors = outcome.result.standardErrors;
    summary = outcome.summary;
    warnings.push(...outcome.warnings);
  }
  return {
    kind: 'power-law',
    form: fit.form,
    residuals: fit.residuals,
    parameters: fit.parameters,
    ...(intervals ? { intervals, standardErrors } : {}),
    warnings,
    goodness: goodnessOfFit(y, fit.fitted),
    n: x.length,
    ...(fixed.length ? { fixed } : {}),
    ...(summary ? { bootstrap: summary } : {}),
  };
}
