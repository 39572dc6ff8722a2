import { Rng, sampleNormal } from '@kolmo/core';
import { quantile } from '../bootstrap.ts';
import { analyzeJointLaw } from '../joint-law-analysis.ts';
import { analyzePowerLaw } from '../power-law-analysis.ts';
import type { ResidualScale } from '../saturating-power-law.ts';
import type { ScalingLawFitResult } from '../scaling-law-report.ts';
import { logSpaced, withLogNormalNoise } from './synthetic-scaling-data.ts';

/**
 * Synthetic fits with a known truth for interval-coverage checks: every fit kind (single and two-term power
 * laws, the joint law by variable projection and by the Chinchilla objective) and residual scale, each under
 * the noise it assumes: multiplicative log-normal noise of 2% for relative and log residuals (and Chinchilla),
 * additive normal noise of 0.02 for absolute ones (on multiplicative noise the absolute fit is carried by a few
 * large-y points and neither interval holds: percentile 87 of 100 for A). Then the number of seeds whose 95%
 * interval holds each true parameter.
 */
export interface CoverageCase {
  readonly name: string;
  readonly truth: Readonly<Record<string, number>>;
  fit(seed: number, resamples: number): ScalingLawFitResult;
}

const sigma = 0.02;

function noisy(clean: readonly number[], residuals: ResidualScale, rng: Rng): number[] {
  return residuals === 'absolute' ? clean.map((value) => value + sigma * sampleNormal(rng)) : withLogNormalNoise(clean, sigma, rng);
}

export function coverageCases(): CoverageCase[] {
  const cases: CoverageCase[] = [];
  for (const residuals of ['relative', 'log', 'absolute'] as ResidualScale[]) {
    const single = { E: 1, A: 20, alpha: 0.5 };
    cases.push({
      name: `power-law single, ${residuals}`,
      truth: single,
      fit: (seed, resamples) => {
        const rng = new Rng(seed);
        const x = logSpaced(1, 5, 20);
        const y = noisy(x.map((v) => single.E + single.A * v ** -single.alpha), residuals, rng.split('noise'));
        return analyzePowerLaw(x, y, { residuals, gridPoints: 60, bootstrap: { rng: rng.split('bootstrap'), resamples } });
      },
    });
    const twoTerm = { E: 2, A: 30, alpha: 0.5, B: 200 };
    cases.push({
      name: `power-law two-term, ${residuals}`,
      truth: twoTerm,
      fit: (seed, resamples) => {
        const rng = new Rng(seed);
        const x = logSpaced(1, 6, 30);
        const y = noisy(x.map((v) => twoTerm.E + twoTerm.A * v ** -twoTerm.alpha + twoTerm.B / v), residuals, rng.split('noise'));
        return analyzePowerLaw(x, y, { form: 'two-term', residuals, gridPoints: 60, bootstrap: { rng: rng.split('bootstrap'), resamples } });
      },
    });
    cases.push({
      name: `joint-law varpro, ${residuals}`,
      truth: jointTruth,
      fit: (seed, resamples) => {
        const rng = new Rng(seed);
        const { n, d, y } = jointData(rng.split('noise'), residuals);
        return analyzeJointLaw(n, d, y, { residuals, gridPoints: 24, bootstrap: { rng: rng.split('bootstrap'), resamples } });
      },
    });
  }
  cases.push({
    name: 'joint-law chinchilla (log Huber)',
    truth: jointTruth,
    fit: (seed, resamples) => {
      const rng = new Rng(seed);
      const { n, d, y } = jointData(rng.split('noise'), 'log');
      return analyzeJointLaw(n, d, y, { method: 'chinchilla', refine: 5, bootstrap: { rng: rng.split('bootstrap'), resamples } });
    },
  });
  return cases;
}

const jointTruth = { E: 1, A: 30, B: 60, alpha: 0.5, beta: 1 };

/** 30 points: N over three decades × a capacity-like variable over two decades, as in the joint-scaling example. */
function jointData(rng: Rng, residuals: ResidualScale) {
  const n: number[] = [];
  const d: number[] = [];
  for (const ni of logSpaced(2, 5, 6)) for (const di of logSpaced(1, 3, 5)) {
    n.push(ni);
    d.push(di);
  }
  const clean = n.map((ni, i) => jointTruth.E + jointTruth.A * ni ** -jointTruth.alpha + jointTruth.B * d[i] ** -jointTruth.beta);
  return { n, d, y: noisy(clean, residuals, rng) };
}

/** Per parameter: how many of the seeds' intervals held the truth (and the percentile interval's count, for comparison). */
export function coverage(testCase: CoverageCase, seeds: number, resamples: number) {
  const held: Record<string, number> = {};
  const heldPercentile: Record<string, number> = {};
  for (let seed = 1; seed <= seeds; seed++) {
    const fit = testCase.fit(seed, resamples);
    for (const [name, value] of Object.entries(testCase.truth)) {
      const [low, high] = fit.intervals![name];
      if (low <= value && value <= high) held[name] = (held[name] ?? 0) + 1;
      const sorted = Float64Array.from(fit.bootstrap!.samples![name]).sort();
      if (quantile(sorted, 0.025) <= value && value <= quantile(sorted, 0.975)) heldPercentile[name] = (heldPercentile[name] ?? 0) + 1;
    }
  }
  return { held, heldPercentile };
}
