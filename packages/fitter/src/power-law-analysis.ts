import { gather } from './bootstrap.ts';
import { goodnessOfFit } from './goodness-of-fit.ts';
import { bootstrapScalingLaw, pointEstimateWarnings, type ScalingLawFitResult, type UncertaintyOptions } from './scaling-law-report.ts';
import { defaultExponentRange, fitSaturatingPowerLaw, type SaturatingPowerLawOptions } from './saturating-power-law.ts';

export interface PowerLawAnalysisOptions extends SaturatingPowerLawOptions {
  /** Bootstrap intervals; omitted or false: the point estimate only. */
  readonly bootstrap?: UncertaintyOptions | false;
  /** Grid points for each bootstrap resample (default ¼ of gridPoints, ≥ 20); it also starts from the full-data optimum. */
  readonly resampleGridPoints?: number;
}

/**
 * A saturating power law fitted and reported: parameters, bootstrap percentile intervals (resampling points
 * or groups), R² and log-RMSE, and warnings (exponent on the grid edge, vanished terms, failed resamples).
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
    const outcome = bootstrapScalingLaw(
      x.length,
      (indices) => {
        const resample = fitSaturatingPowerLaw(gather(x, indices), gather(y, indices), {
          ...fitOptions,
          fixE: typeof fixE === 'number' || fixE === undefined ? fixE : gather(fixE, indices),
          gridPoints: resampleGridPoints ?? Math.max(20, Math.ceil((fitOptions.gridPoints ?? 200) / 4)),
          starts: [fit.parameters.alpha],
        });
        return { parameters: resample.parameters, onGridEdge: resample.onGridEdge ? ['alpha'] : [] };
      },
      uncertainty,
      fixed,
    );
    intervals = outcome.result.intervals;
    standardErrors = outcome.result.standardErrors;
    summary = outcome.summary;
    warnings.push(...outcome.warnings);
  }
  return {
    kind: 'power-law',
    form: fit.form,
    parameters: fit.parameters,
    ...(intervals ? { intervals, standardErrors } : {}),
    warnings,
    goodness: goodnessOfFit(y, fit.fitted),
    n: x.length,
    ...(fixed.length ? { fixed } : {}),
    ...(summary ? { bootstrap: summary } : {}),
  };
}
