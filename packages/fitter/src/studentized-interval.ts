import { quantile } from './bootstrap.ts';

/**
 * The studentized (bootstrap-t) interval (Efron & Tibshirani 1993, ch. 12; Davison & Hinkley 1997, §5.2):
 * each resample's t* = (θ* − θ̂)/se*, with se* that resample's own standard error, and the interval
 * [θ̂ − t*₍₁₋ₐ/₂₎·se, θ̂ − t*₍ₐ/₂₎·se]. It is second-order accurate where the percentile interval is first-order
 * only, and it widens for the small-sample scale error the percentile interval ignores (RSS/n underestimates
 * σ² by (n − p)/n). On synthetic joint laws (30 points, relative residuals, 100 seeds) the percentile interval
 * held beta in 87 and B in 90 of 100 seeds at a nominal 95% (issue 10 found 84–86%), this one in 91–95 for
 * every parameter (interval-coverage.coverage-test.ts). The t* are formed on the log scale (below).
 * Returns undefined when fewer than half of the resamples have a finite se* (fall back to the percentile).
 */
export function studentizedInterval(
  estimate: number,
  standardError: number,
  samples: ArrayLike<number>,
  sampleStandardErrors: ArrayLike<number>,
  level: number,
): readonly [number, number] | undefined {
  if (!(standardError > 0) || !Number.isFinite(standardError) || !(estimate > 0)) return undefined;
  // On the log scale (delta method: se(log θ) = se(θ)/θ): the SE of a scale or exponent grows with the value,
  // which leaves (θ* − θ̂)/se* far from pivotal; the log makes it nearly so.
  const t: number[] = [];
  for (let b = 0; b < samples.length; b++) {
    const se = sampleStandardErrors[b] / samples[b];
    if (se > 0 && Number.isFinite(se) && samples[b] > 0) t.push((Math.log(samples[b]) - Math.log(estimate)) / se);
  }
  if (t.length < samples.length / 2 || t.length < 20) return undefined;
  const sorted = Float64Array.from(t).sort();
  const logSe = standardError / estimate;
  return [estimate * Math.exp(-quantile(sorted, (1 + level) / 2) * logSe), estimate * Math.exp(-quantile(sorted, (1 - level) / 2) * logSe)];
}
