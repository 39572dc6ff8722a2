import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSpec, runLoadedSpec } from '@kolmo/core';
import { defaultValueCounts, wordList } from '@kolmo/syntax-knowledge';
import { builtinPlugins } from '../builtins.ts';
import { meanAndSd, scaledSpec, t99, type SpecObject } from './scaled-spec.ts';
import { dataTheoryCurves, pureExponent } from './theory-curves.ts';

const N = 20000;
const seeds = [1, 2, 3, 4, 5, 6];

/**
 * examples/data-scaling.yaml scaled down: N = 2·10^4 documents per run, six seeds per α, the learning-curve fits
 * only (the sweep-over-N fits need several N). Each run's own exponent is compared with the exponent of the
 * theory curve at the same checkpoints (theory §4: E[P(new)] from the closed-form E[K_N], and the knowledge
 * excess ≈ P(new)·(b − α log2 N)), with a tolerance from the spread over seeds: t(99%, 5 dof) · sd/√6.
 */
describe('data scaling (examples/data-scaling.yaml, scaled down)', () => {
  it('gives knowledge and new-element exponents near 1 − α and a syntax exponent near 1, within the seed spread', async () => {
    const { specFile, outDir, folder } = scaledSpec('data-scaling.yaml', (spec: SpecObject) => {
      spec.sweep = { alpha: [0.3, 0.5], N: [N], seed: seeds };
      spec.pipeline.predictors = spec.pipeline.predictors.filter((p: SpecObject) => p.type === 'bayes-optimal');
      delete spec.pipeline.evaluation;
      spec.fit = spec.fit
        .filter((f: SpecObject) => f.type === 'table-power-law')
        .map((f: SpecObject) => ({ ...f, where: { ...f.where, N }, bootstrap: 100 }));
      delete spec.report;
    });
    onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
    const result = await runLoadedSpec(await loadSpec({ specFile, builtins: builtinPlugins }), { outDir, concurrency: 2 });
    const fits = JSON.parse(readFileSync(join(outDir, 'fits.json'), 'utf8')) as { label: string; groups: { alpha: number }[] }[];
    const curve = JSON.parse(readFileSync(join(outDir, 'learning-curve.json'), 'utf8')).rows as Record<string, number>[];
    expect(result.runs.length).toBe(12);

    const elementBits = Math.log2(wordList('first-names').length * wordList('last-names').length) + Object.values(defaultValueCounts).reduce((s, v) => s + Math.log2(v), 0);
    for (const alpha of [0.3, 0.5]) {
      const sizes = [...new Set(curve.filter((r) => r.alpha === alpha).map((r) => r.documents))].sort((a, b) => a - b);
      const theory = dataTheoryCurves(sizes, alpha, 1, elementBits);
      const expected = { knowledge: pureExponent(sizes, theory.knowledgeExcess), newElements: pureExponent(sizes, theory.newElementRate) };
      // The theory curves themselves: exponent 1 − α, the knowledge one a little steeper (b ≈ 75 ≫ α log2 N).
      expect(expected.newElements).toBeCloseTo(1 - alpha, 2);
      expect(expected.knowledge - (1 - alpha)).toBeGreaterThan(0);
      expect(expected.knowledge - (1 - alpha)).toBeLessThan(alpha / (Math.LN2 * (elementBits - alpha * Math.log2(N))) + 1e-3);

      const perSeed = (label: string) => {
        const fit = fits.find((f) => f.label === label)!;
        expect(fit.groups.length).toBe(seeds.length);
        return meanAndSd(fit.groups.map((g) => g.alpha));
      };
      const tolerance = (sd: number) => (t99(seeds.length) * sd) / Math.sqrt(seeds.length);
      const knowledge = perSeed(`curve knowledge α=${alpha}`);
      expect(Math.abs(knowledge.mean - expected.knowledge)).toBeLessThanOrEqual(tolerance(knowledge.sd));
      const newElements = perSeed(`curve new-element rate α=${alpha}`);
      if (process.env.KOLMO_PRINT) console.log(alpha, expected, knowledge, newElements, tolerance(knowledge.sd), tolerance(newElements.sd));
      expect(Math.abs(newElements.mean - expected.newElements)).toBeLessThanOrEqual(tolerance(newElements.sd));
      // The seed spread itself is what one would expect of a few hundred elements, not a broken fit.
      expect(knowledge.sd).toBeGreaterThan(0.005);
      expect(knowledge.sd).toBeLessThan(0.15);
    }
    const syntax = meanAndSd(fits.find((f) => f.label === 'curve syntax α=0.5')!.groups.map((g) => g.alpha));
    expect(Math.abs(syntax.mean - 1)).toBeLessThanOrEqual((t99(seeds.length) * syntax.sd) / Math.sqrt(seeds.length));
  });
});
