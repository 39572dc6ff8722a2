import { describe, expect, it } from 'vitest';
import { coverage, coverageCases } from './testing/coverage-cases.ts';

/**
 * Interval coverage over 100 synthetic seeds for every fit kind and residual scale (testing/coverage-cases.ts):
 * each true parameter must lie inside its 95% interval in 95% ± 3·√(0.95·0.05/100) of the seeds, i.e. in at
 * least 89 of 100 (the binomial 3-sd band; above 100 cannot happen). 100 resamples per fit: enough for the
 * 2.5% and 97.5% points of t* (bootstrap-t needs its tails, so not fewer), few enough for a run of about 25
 * minutes on one core: this is the separate `npm run test:coverage`, not part of `npm test`.
 * Measured (held / 100, studentized; percentile for comparison): relative residuals — single law E 95, A 93,
 * alpha 92 (percentile alpha 89); two-term E 93, A 92, alpha 94, B 92; joint law E 93, A 92, B 95, alpha 93,
 * beta 91 (percentile beta 87, B 90: the under-coverage issue 10 found). Log residuals — single law E 95,
 * A 93, alpha 93 (percentile alpha 89). Absolute residuals (percentile) — single law E 93, A 94, alpha 93;
 * two-term E 96, A 96, alpha 95, B 98. Chinchilla objective (percentile) — E 96, A 94, B 97, alpha 96, beta 97
 * (studentized: 86–92, hence its percentile default). Log two-term — E 93, A 92, alpha 94, B 92. KNOWN
 * FAILURE: the joint law (varpro) on absolute residuals, percentile — E 96, A 93, B 88, alpha 90, beta 87
 * (B and beta below 89); its studentized coverage was not measured yet. Not run to the end: the joint law on
 * log residuals (about 40 minutes on the shared 2-core machine).
 */
const seeds = 100;
const resamples = 100;
const lowest = Math.ceil(seeds * (0.95 - 3 * Math.sqrt((0.95 * 0.05) / seeds)));

describe('bootstrap interval coverage (100 seeds per fit kind and residual scale)', () => {
  it.each(coverageCases().map((testCase) => [testCase.name, testCase] as const))('%s', (_, testCase) => {
    const { held } = coverage(testCase, seeds, resamples);
    for (const name of Object.keys(testCase.truth)) expect(held[name] ?? 0, `${testCase.name}: ${name} held in ${held[name] ?? 0} of ${seeds}`).toBeGreaterThanOrEqual(lowest);
  });
});
